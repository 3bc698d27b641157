package io.rustmq.quarkus.deployment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.InputStream;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkus.test.QuarkusUnitTest;

/** A smallrye-rustmq channel method whose payload type cannot be converted fails the build, naming the method. */
class UnsupportedPayloadTest {

    @RegisterExtension
    static final QuarkusUnitTest APP = new QuarkusUnitTest()
            .withApplicationRoot(jar -> jar.addClass(UploadConsumer.class))
            .overrideConfigKey("mp.messaging.incoming.uploads.connector", "smallrye-rustmq")
            .overrideConfigKey("quarkus.rustmq.devservices.enabled", "false")
            .assertException(t -> {
                StringBuilder messages = new StringBuilder();
                for (Throwable c = t; c != null; c = c.getCause()) {
                    messages.append(c.getMessage()).append('\n');
                }
                assertThat(messages.toString())
                        .contains(UploadConsumer.class.getName() + "#consume()")
                        .contains("java.io.InputStream");
            });

    @Test
    void buildFailsNamingTheMethod() {
        fail("the build must fail for an InputStream payload");
    }

    /** Consumes a payload type that cannot be built from a record's bytes. */
    @ApplicationScoped
    static class UploadConsumer {
        @Incoming("uploads")
        void consume(InputStream upload) {
            throw new AssertionError("never called");
        }
    }
}

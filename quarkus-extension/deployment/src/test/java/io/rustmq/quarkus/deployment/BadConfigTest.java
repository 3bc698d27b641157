package io.rustmq.quarkus.deployment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkus.test.QuarkusUnitTest;

/** An invalid quarkus.rustmq.* value fails application start, and the error names the key and the value. */
class BadConfigTest {

    @RegisterExtension
    static final QuarkusUnitTest APP = new QuarkusUnitTest()
            .overrideConfigKey("quarkus.rustmq.brokers", "127.0.0.1:19092")
            .overrideConfigKey("quarkus.rustmq.max-connections", "0")
            .assertException(t -> {
                Throwable root = t;
                StringBuilder messages = new StringBuilder();
                while (root != null) {
                    messages.append(root.getMessage()).append('\n');
                    root = root.getCause();
                }
                assertThat(messages.toString()).contains("quarkus.rustmq.max-connections = 0");
            });

    @Test
    void startFailsNamingTheKey() {
        fail("the application must not start with quarkus.rustmq.max-connections=0");
    }
}

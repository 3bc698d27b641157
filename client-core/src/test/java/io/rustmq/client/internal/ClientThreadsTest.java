package io.rustmq.client.internal;

import io.rustmq.client.RustMQException;
import org.junit.jupiter.api.Test;

import java.util.concurrent.ThreadFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ClientThreadsTest {
    @Test
    void withoutAFactoryThreadsAreNamedDaemons() {
        Thread t = ClientThreads.newThread((ThreadFactory) null, () -> { }, "rustmq-x");
        assertThat(t.getName()).isEqualTo("rustmq-x");
        assertThat(t.isDaemon()).isTrue();
        ThreadFactory numbered = ClientThreads.factory((ThreadFactory) null, "rustmq-pool");
        assertThat(numbered.newThread(() -> { }).getName()).isEqualTo("rustmq-pool-1");
        assertThat(numbered.newThread(() -> { }).getName()).isEqualTo("rustmq-pool-2");
    }

    @Test
    void aConfiguredFactoryMakesTheThreadAndKeepsItsName() {
        ThreadFactory managed = r -> new Thread(r, "managed");
        Thread t = ClientThreads.newThread(managed, () -> { }, "rustmq-x");
        assertThat(t.getName()).isEqualTo("managed");
        assertThat(t.isDaemon()).isFalse();
    }

    @Test
    void aFactoryThatReturnsNoThreadIsAnError() {
        assertThatThrownBy(() -> ClientThreads.newThread(r -> null, () -> { }, "rustmq-consumer-g-1"))
                .isInstanceOf(RustMQException.class).hasMessageContaining("rustmq-consumer-g-1");
    }
}

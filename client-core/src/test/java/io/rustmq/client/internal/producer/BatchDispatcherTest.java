package io.rustmq.client.internal.producer;

import io.rustmq.client.BrokerErrorException;
import io.rustmq.client.RustMQException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which attempt failures the dispatcher resends; sending, completion and failing in sequence order run against the
 * embedded broker in the producer ITs (ProducerOutageIT, ProducerIdempotenceIT, ProducerPipeliningIT).
 */
class BatchDispatcherTest {
    @Test
    void resendsRetriableFailuresAndOutOfOrderSequenceRefusals() {
        assertThat(BatchDispatcher.isRetriable(new RustMQException("connection lost", null, true))).isTrue();
        assertThat(BatchDispatcher.isRetriable(
                new BrokerErrorException("OutOfOrderSequence: expected 4, got 6"))).isTrue();
    }

    @Test
    void failsForGoodOnAFailureThatIsNotRetriable() {
        assertThat(BatchDispatcher.isRetriable(new RustMQException("bad request", null, false))).isFalse();
    }
}

package io.rustmq.client.internal.producer;

import io.rustmq.client.producer.BufferExhaustedException;
import io.rustmq.client.RequestTimeoutException;
import io.rustmq.client.RustMQException;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BufferPoolTest {
    @Test
    void reservesUpToTheBudgetThenBlocksForMaxBlockTimeAndFailsNamingTheSettings() {
        BufferPool pool = new BufferPool(1000, TimeUnit.MILLISECONDS.toNanos(150));
        pool.reserve(600);
        pool.reserve(400);
        assertThat(pool.used()).isEqualTo(1000);
        long start = System.nanoTime();
        assertThatThrownBy(() -> pool.reserve(1))
                .isInstanceOf(BufferExhaustedException.class)
                .isInstanceOf(RequestTimeoutException.class)
                .hasMessageContaining("bufferMemory = 1000")
                .hasMessageContaining("maxBlockTime = 150 ms");
        assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(150));
        assertThat(pool.used()).isEqualTo(1000);
    }

    @Test
    void aWaitingReserveProceedsWhenBytesAreReleased() throws Exception {
        BufferPool pool = new BufferPool(100, TimeUnit.SECONDS.toNanos(30));
        pool.reserve(100);
        CompletableFuture<Void> waiting = CompletableFuture.runAsync(() -> pool.reserve(60));
        Thread.sleep(50);
        assertThat(waiting).isNotDone();
        pool.release(100);
        waiting.get(10, TimeUnit.SECONDS);
        assertThat(pool.used()).isEqualTo(60);
    }

    @Test
    void closingFailsAWaitingReserve() {
        BufferPool pool = new BufferPool(10, TimeUnit.SECONDS.toNanos(30));
        pool.reserve(10);
        CompletableFuture<Void> waiting = CompletableFuture.runAsync(() -> pool.reserve(5));
        pool.close();
        assertThatThrownBy(() -> waiting.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(RustMQException.class)
                .hasMessageContaining("closed");
    }

    @Test
    void sequenceDigitsAreWrittenInDecimal() {
        assertThat(new String(ProducerBatch.decimal(0))).isEqualTo("0");
        assertThat(new String(ProducerBatch.decimal(9))).isEqualTo("9");
        assertThat(new String(ProducerBatch.decimal(10))).isEqualTo("10");
        assertThat(new String(ProducerBatch.decimal(Long.MAX_VALUE))).isEqualTo(Long.toString(Long.MAX_VALUE))
                .hasSize(ProducerBatch.MAX_DIGITS);
    }
}

package io.rustmq.client.internal.producer;

import io.rustmq.client.producer.SendCallback;
import io.rustmq.client.protocol.AcknowledgmentLevel;
import io.rustmq.client.protocol.WireHeader;
import io.rustmq.client.protocol.WireRecord;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The producer's record accumulator on its own: 100-byte records appended to one partition, batches of
 * {@code batchSize} sealed and handed to a sender that completes them at once (no network), so the figure is the
 * accumulator's per-record cost: the partition lock, batch bookkeeping, sequence numbers and completion of each
 * record's callback. Lives in the producer's package because the accumulator is package-private.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class AccumulatorBenchmark {
    private static final int RECORDS = 1000;
    private static final SendCallback IGNORE = (result, error) -> { };
    private static final WireHeader[] NO_HEADERS = new WireHeader[0];

    /** Records per batch. */
    @Param({"100"})
    public int batchSize;

    /** Whether records carry the idempotence headers (the producer's default). */
    @Param({"true", "false"})
    public boolean idempotent;

    private ScheduledExecutorService timer;
    private RecordAccumulator accumulator;
    private RecordAccumulator.PartitionQueue queue;
    private byte[] value;
    private int size;
    private long nextOffset;

    /** Builds an accumulator whose sender completes every batch at once. */
    @Setup(Level.Trial)
    public void setUp() {
        timer = Executors.newSingleThreadScheduledExecutor();
        value = new byte[100];
        size = new WireRecord(null, value, List.of(), 0).encodedSize();
        accumulator = new RecordAccumulator(batchSize, 512 * 1024, 1 << 20, AcknowledgmentLevel.ALL, 0, 1,
                idempotent, timer, batch -> {
                    long base = nextOffset;
                    nextOffset += batch.count();
                    batch.succeed(base);
                    accumulator.completed(batch);
                });
        queue = accumulator.topic("benchmark").queue(0);
    }

    /** Stops the linger timer thread. */
    @TearDown(Level.Trial)
    public void tearDown() {
        timer.shutdownNow();
    }

    /**
     * Appends {@value #RECORDS} records; the reported time is per record.
     *
     * @return the next offset, so the work is not optimised away
     */
    @Benchmark
    @OperationsPerInvocation(RECORDS)
    public long append() {
        for (int i = 0; i < RECORDS; i++) {
            // the idempotence headers go on a batch's first record when it is sent, not on each record
            accumulator.append(queue, null, value, NO_HEADERS, 0, size, IGNORE);
        }
        return nextOffset;
    }
}

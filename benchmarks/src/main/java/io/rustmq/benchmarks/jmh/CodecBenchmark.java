package io.rustmq.benchmarks.jmh;

import io.rustmq.client.protocol.AcknowledgmentLevel;
import io.rustmq.client.protocol.FetchResponse;
import io.rustmq.client.protocol.Frames;
import io.rustmq.client.protocol.ProduceRequest;
import io.rustmq.client.protocol.Request;
import io.rustmq.client.protocol.RequestType;
import io.rustmq.client.protocol.Response;
import io.rustmq.client.protocol.WireRecord;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * Wire codec cost: encoding and decoding a whole Produce request frame and a whole Fetch response frame of
 * {@code records} records of {@code valueSize} bytes (no key, no headers), through {@link Frames}. Divide the time
 * by the record count for the cost per record; run with {@code -prof gc} for bytes allocated per operation.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class CodecBenchmark {
    /** Records per frame. */
    @Param("100")
    public int records;

    /** Value bytes per record. */
    @Param("100")
    public int valueSize;

    private ProduceRequest produce;
    private byte[] produceFrame;
    private FetchResponse fetch;
    private byte[] fetchFrame;

    /** Builds the values and their frames. */
    @Setup
    public void setup() {
        Random random = new Random(7);
        List<WireRecord> list = new ArrayList<>(records);
        long ts = 1_700_000_000_000L;
        for (int i = 0; i < records; i++) {
            byte[] value = new byte[valueSize];
            random.nextBytes(value);
            list.add(new WireRecord(null, value, List.of(), ts + i));
        }
        produce = new ProduceRequest("benchmark-topic", 0, list, AcknowledgmentLevel.ALL, 30_000);
        produceFrame = Frames.encodeRequest(produce);
        fetch = new FetchResponse(list, 1_000_000L + records, 0, null);
        fetchFrame = Frames.encodeResponse(fetch);
    }

    /**
     * Encodes the Produce request frame.
     *
     * @return the frame
     */
    @Benchmark
    public byte[] produceEncode() {
        return Frames.encodeRequest(produce);
    }

    /**
     * Decodes the Produce request frame (what the broker does).
     *
     * @return the request
     */
    @Benchmark
    public Request produceDecode() {
        return Frames.decodeRequest(produceFrame);
    }

    /**
     * Encodes the Fetch response frame (what the broker does).
     *
     * @return the frame
     */
    @Benchmark
    public byte[] fetchEncode() {
        return Frames.encodeResponse(fetch);
    }

    /**
     * Decodes the Fetch response frame.
     *
     * @return the response
     */
    @Benchmark
    public Response fetchDecode() {
        return Frames.decodeResponse(RequestType.FETCH, fetchFrame);
    }
}

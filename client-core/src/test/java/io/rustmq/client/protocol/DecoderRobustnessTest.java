package io.rustmq.client.protocol;

import io.rustmq.client.BrokerErrorException;
import io.rustmq.client.ProtocolException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Random and mutated inputs may only produce a value or a {@link ProtocolException}, never another exception, and
 * decoding never allocates in proportion to a length prefix: only in proportion to the input.
 */
class DecoderRobustnessTest {
    private static final List<GoldenVectors.Vector> VECTORS = GoldenVectors.all().stream()
            .filter(v -> GoldenVectors.isRequest(v) || GoldenVectors.isResponse(v)).toList();
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    /**
     * Cases per kind (mutated golden vectors, random bytes): 100,000 frames per run, each decoded both as a request
     * (the embedded broker's decoder) and as a response (the client's).
     */
    private static final int CASES_PER_KIND = 50_000;

    /** Allowed allocation per input byte (Java objects for decoded values) plus a fixed slack for small inputs. */
    private static final long BYTES_PER_INPUT_BYTE = 48;
    private static final long FIXED_SLACK = 16 * 1024;

    /** Class loading and JIT allocate on first use; measure only after every path has run once. */
    @BeforeAll
    static void warmUp() {
        Random random = new Random(1L);
        for (int i = 0; i < 5_000; i++) {
            GoldenVectors.Vector v = VECTORS.get(random.nextInt(VECTORS.size()));
            byte[] frame = mutate(v.frame(), random);
            decode(frame, RequestType.fromCode(v.requestTypeByte()));
            byte[] noise = new byte[random.nextInt(64)];
            random.nextBytes(noise);
            decode(noise, RequestType.fromCode(1 + random.nextInt(9)));
        }
    }

    @Test
    void mutatedVectorsDecodeOrFailOnlyWithProtocolExceptionWithinBoundedAllocation() {
        Random random = new Random(20261127L);
        for (int i = 0; i < CASES_PER_KIND; i++) {
            GoldenVectors.Vector v = VECTORS.get(random.nextInt(VECTORS.size()));
            byte[] frame = mutate(v.frame(), random);
            decodeBothWays(frame, RequestType.fromCode(v.requestTypeByte()));
        }
    }

    @Test
    void randomBytesDecodeOrFailOnlyWithProtocolException() {
        Random random = new Random(7L);
        for (int i = 0; i < CASES_PER_KIND; i++) {
            byte[] frame = new byte[random.nextInt(200)];
            random.nextBytes(frame);
            if (frame.length > 0) {
                frame[0] = (byte) (1 + random.nextInt(9));
            }
            decodeBothWays(frame, RequestType.fromCode(1 + random.nextInt(9)));
        }
    }

    @Test
    void hugeLengthPrefixesAreRejectedWithoutAllocatingThem() {
        // A Fetch response claiming 2^62 records, and a produce request whose topic claims 2^31 bytes.
        byte[] records = {2, 0, 0, 0, 0, 0, 0, 0, 0x40, 1, 2, 3};
        byte[] topic = {1, 0, 0, 0, (byte) 0x80, 0, 0, 0, 0, 'a', 'b'};
        byte[] maxLen = {8, -1, -1, -1, -1, -1, -1, -1, -1};
        for (byte[] frame : List.of(records, topic, maxLen)) {
            long allocated = allocatedDuring(() -> decodeBothWays(frame, RequestType.fromCode(frame[0])));
            assertThat(allocated).isLessThan(FIXED_SLACK + BYTES_PER_INPUT_BYTE * frame.length);
        }
    }

    @Test
    void largeValidFramesAllocateInProportionToTheirSize() {
        byte[] value = new byte[1 << 20];
        new Random(1).nextBytes(value);
        byte[] frame = Frames.encodeResponse(new FetchResponse(
                List.of(new WireRecord(null, value, List.of(), 1L)), 1, 0, null));
        // The decode only checks the records (EncodedRecords); reading one copies its value out of the frame.
        long decoding = allocatedDuring(() -> Frames.decodeResponse(RequestType.FETCH, frame));
        assertThat(decoding).isLessThan(2L * value.length);
        long allocated = allocatedDuring(() -> ((FetchResponse) Frames.decodeResponse(RequestType.FETCH, frame))
                .records().get(0));
        assertThat(allocated).isBetween((long) value.length, 2L * value.length);
    }

    private static void decode(byte[] frame, RequestType type) {
        try {
            Frames.decodeRequest(frame);
        } catch (ProtocolException expected) {
            if (expected.getMessage().isBlank()) {
                throw new AssertionError("blank message", expected);
            }
        }
        try {
            Frames.decodeResponse(type, frame);
        } catch (BrokerErrorException | ProtocolException expected) {
            if (expected.getMessage().isBlank()) {
                throw new AssertionError("blank message", expected);
            }
        }
    }

    private static void decodeBothWays(byte[] frame, RequestType type) {
        long allocated = allocatedDuring(() -> decode(frame, type));
        if (allocated > FIXED_SLACK + BYTES_PER_INPUT_BYTE * frame.length) {
            fail("decoding %d bytes allocated %d bytes: %s", frame.length, allocated,
                    java.util.HexFormat.of().formatHex(frame));
        }
    }

    private static long allocatedDuring(Runnable r) {
        long tid = Thread.currentThread().getId();
        long before = THREADS.getThreadAllocatedBytes(tid);
        try {
            r.run();
        } catch (RuntimeException e) {
            if (!(e instanceof ProtocolException)) {
                throw new AssertionError("unexpected " + e, e);
            }
        }
        return THREADS.getThreadAllocatedBytes(tid) - before;
    }

    private static byte[] mutate(byte[] frame, Random random) {
        byte[] out = frame.clone();
        switch (random.nextInt(4)) {
            case 0: // flip random bytes
                for (int k = 0; k < 1 + random.nextInt(4) && out.length > 0; k++) {
                    out[random.nextInt(out.length)] = (byte) random.nextInt(256);
                }
                return out;
            case 1: // truncate
                return Arrays.copyOf(out, random.nextInt(out.length + 1));
            case 2: // blow up one 8-byte window into a huge length
                if (out.length > 9) {
                    int at = 1 + random.nextInt(out.length - 8);
                    for (int k = 0; k < 8; k++) {
                        out[at + k] = (byte) (k == 7 ? random.nextInt(256) : 0xFF);
                    }
                }
                return out;
            default: // append garbage
                byte[] longer = Arrays.copyOf(out, out.length + 1 + random.nextInt(16));
                for (int k = out.length; k < longer.length; k++) {
                    longer[k] = (byte) random.nextInt(256);
                }
                return longer;
        }
    }
}

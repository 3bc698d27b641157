package io.rustmq.client.internal.consumer;

import io.rustmq.client.Header;
import io.rustmq.client.Headers;
import io.rustmq.client.Message;
import io.rustmq.client.ProtocolException;
import io.rustmq.client.compression.Compression;
import io.rustmq.client.protocol.WireHeader;
import io.rustmq.client.protocol.WireRecord;

import java.nio.charset.StandardCharsets;

/**
 * Turns fetched records into application messages: headers converted, and a value compressed by a producer
 * (header {@value Compression#HEADER}) decompressed, with that header removed. Stateless.
 */
final class RecordConverter {
    private RecordConverter() {
    }

    /**
     * The message as the application sees it.
     *
     * @param topic the topic it was read from
     * @param partition its partition
     * @param offset its offset (for error messages)
     * @param r the record
     * @param maxDecompressedBytes the largest value a decompression may produce
     * @return the message with the value decompressed and the compression header removed
     * @throws ProtocolException if the compression header names an unknown codec or the value is corrupt or too
     *     large; the message names the topic, partition and offset
     */
    static Message toMessage(String topic, int partition, long offset, WireRecord r, int maxDecompressedBytes) {
        return toMessage(topic, partition, offset, r, maxDecompressedBytes, null);
    }

    /**
     * The message as the application sees it, decompressed with pooled native contexts.
     *
     * @param topic the topic it was read from
     * @param partition its partition
     * @param offset its offset (for error messages)
     * @param r the record
     * @param maxDecompressedBytes the largest value a decompression may produce
     * @param contexts the owner's pool of compression contexts, or {@code null} for one-shot contexts
     * @return the message with the value decompressed and the compression header removed
     * @throws ProtocolException as {@link #toMessage(String, int, long, WireRecord, int)}
     */
    static Message toMessage(String topic, int partition, long offset, WireRecord r, int maxDecompressedBytes,
                             io.rustmq.client.compression.CompressionContexts contexts) {
        Headers headers = Headers.empty();
        byte[] value = r.value();
        if (!r.headers().isEmpty()) {
            String codec = null;
            Header[] kept = new Header[r.headers().size()];
            int n = 0;
            for (WireHeader h : r.headers()) {
                if (Compression.HEADER.equals(h.key())) {
                    codec = new String(h.value(), StandardCharsets.UTF_8);
                } else {
                    kept[n++] = new Header(h.key(), h.value());
                }
            }
            if (codec != null) {
                try {
                    Compression c = Compression.fromHeaderValue(codec);
                    value = contexts == null ? c.decompress(value, maxDecompressedBytes)
                            : contexts.decompress(c, value, maxDecompressedBytes);
                } catch (ProtocolException e) {
                    throw new ProtocolException("cannot decompress the value of " + topic + "-" + partition + "@"
                            + offset + " (" + Compression.HEADER + ": " + codec + "): " + e.getMessage(), e);
                }
            }
            if (n > 0) {
                headers = Headers.of(java.util.Arrays.asList(kept).subList(0, n));
            }
        }
        return raw(topic, partition, r, value, headers);
    }

    /**
     * The message exactly as stored: value and headers unchanged (for dead-lettering a corrupt record).
     *
     * @param topic the topic
     * @param partition the partition
     * @param r the record
     * @return the message
     */
    static Message rawMessage(String topic, int partition, WireRecord r) {
        Headers headers = Headers.empty();
        if (!r.headers().isEmpty()) {
            Header[] hs = new Header[r.headers().size()];
            for (int i = 0; i < hs.length; i++) {
                WireHeader h = r.headers().get(i);
                hs[i] = new Header(h.key(), h.value());
            }
            headers = Headers.of(java.util.Arrays.asList(hs));
        }
        return raw(topic, partition, r, r.value(), headers);
    }

    private static Message raw(String topic, int partition, WireRecord r, byte[] value, Headers headers) {
        return Message.builder().topic(topic).partition(partition).key(r.key()).payload(value).headers(headers)
                .timestamp(r.timestamp()).build();
    }
}

package io.rustmq.client.internal.producer;

import io.rustmq.client.Header;
import io.rustmq.client.Headers;
import io.rustmq.client.Message;
import io.rustmq.client.MessageTooLargeException;
import io.rustmq.client.compression.Compression;
import io.rustmq.client.compression.CompressionConfig;
import io.rustmq.client.compression.CompressionContexts;
import io.rustmq.client.producer.Producer;
import io.rustmq.client.producer.ProducerConfig;
import io.rustmq.client.protocol.AcknowledgmentLevel;
import io.rustmq.client.protocol.Frames;
import io.rustmq.client.protocol.SizeLimits;
import io.rustmq.client.protocol.WireHeader;

import java.util.List;

/**
 * Turns a message into the wire record a producer appends: the default headers, then the message's own without the
 * idempotence headers (the producer's replace them), the value compressed when that makes it smaller (and not
 * already compressed), and the size checks against {@code maxMessageSize}, the client's {@code maxRequestBytes} and
 * {@code bufferMemory}. It owns the producer's pool of native compression contexts, freed by {@link #close}. Runs on
 * the sending thread; thread-safe.
 */
public final class RecordEncoder implements AutoCloseable {
    private static final WireHeader[] NO_HEADERS = new WireHeader[0];
    private static final List<Header> NO_MESSAGE_HEADERS = List.of();
    private static final String RESERVED_PREFIX = "rustmq-";

    /**
     * A record ready to append.
     *
     * @param key the key or null
     * @param value the value as sent (compressed or not)
     * @param headers the headers as sent
     * @param size the record's encoded size in bytes, which it holds of the buffer memory
     */
    public record Encoded(byte[] key, byte[] value, WireHeader[] headers, int size) {
    }

    private final int maxMessageSize;
    private final long bufferMemory;
    private final int maxRequestBytes;
    private final AcknowledgmentLevel acks;
    private final int batchHeaderBytes;
    private final Compression codec;
    private final int compressionLevel;
    /** Native compression contexts, pooled for this producer and freed when it closes (no thread-local caches). */
    private final CompressionContexts compressionContexts = new CompressionContexts();
    private final int compressionMinSize;
    private final WireHeader compressionHeader;
    private final int compressionHeaderBytes;
    private final WireHeader[] defaultHeaders;
    private final int defaultHeaderBytes;

    /**
     * Creates the encoder of one producer.
     *
     * @param config the producer configuration (default headers, compression, size limits)
     * @param maxRequestBytes the client's limit on a whole request frame
     * @param acks the acknowledgment level (its encoding is part of the request overhead)
     * @param batchHeaderBytes bytes the first record of a batch may gain for the idempotence headers (0 if none)
     */
    public RecordEncoder(ProducerConfig config, int maxRequestBytes, AcknowledgmentLevel acks, int batchHeaderBytes) {
        this.maxMessageSize = config.maxMessageSize();
        this.bufferMemory = config.bufferMemory();
        this.maxRequestBytes = maxRequestBytes;
        this.acks = acks;
        this.batchHeaderBytes = batchHeaderBytes;
        CompressionConfig c = config.compression();
        this.codec = c.codec();
        this.compressionLevel = c.level();
        this.compressionMinSize = c.minSize();
        this.compressionHeader = WireHeader.of(Compression.HEADER, codec.headerValue());
        this.compressionHeaderBytes = headerBytes(compressionHeader);
        Headers dh = config.defaultHeaders();
        this.defaultHeaders = new WireHeader[dh.size()];
        int bytes = 0;
        for (int i = 0; i < defaultHeaders.length; i++) {
            Header h = dh.asList().get(i);
            defaultHeaders[i] = new WireHeader(h.key(), h.value());
            bytes += headerBytes(defaultHeaders[i]);
        }
        this.defaultHeaderBytes = bytes;
    }

    private static int headerBytes(WireHeader h) {
        return 16 + Frames.utf8Length(h.key()) + h.value().length;
    }

    private static boolean idempotenceHeader(String key) {
        return key.startsWith(RESERVED_PREFIX)
                && (key.equals(Producer.PRODUCER_ID_HEADER) || key.equals(Producer.SEQUENCE_HEADER));
    }

    /**
     * Encodes a message.
     *
     * @param message the message
     * @param topic the topic it goes to (for the request-size check)
     * @return the record
     * @throws MessageTooLargeException if it exceeds {@code maxMessageSize}, a request or {@code bufferMemory}
     */
    public Encoded encode(Message message, String topic) {
        Headers mh = message.headers();
        int userHeaders = 0;
        int userHeaderBytes = 0;
        boolean precompressed = false; // a compression header marks an already compressed value
        for (Header h : mh.isEmpty() ? NO_MESSAGE_HEADERS : mh.asList()) {
            String k = h.key();
            if (idempotenceHeader(k)) {
                continue;
            }
            precompressed |= k.startsWith(RESERVED_PREFIX) && k.equals(Compression.HEADER);
            userHeaders++;
            userHeaderBytes += 16 + Frames.utf8Length(k) + h.value().length;
        }
        byte[] key = message.key();
        byte[] value = message.payload();
        int fixed = 1 + (key == null ? 0 : 8 + key.length) + 8 + 8 + 8 + defaultHeaderBytes + userHeaderBytes;
        long messageSize = (long) fixed + value.length;
        SizeLimits.checkMessage(messageSize, maxMessageSize);

        boolean compressed = false;
        if (codec != Compression.NONE && !precompressed && value.length >= compressionMinSize) {
            byte[] c = compressionContexts.compress(codec, value, compressionLevel);
            if (c.length < value.length) {
                value = c;
                compressed = true;
            }
        }
        int size = fixed + value.length + (compressed ? compressionHeaderBytes : 0);
        // a record alone in a request may be the first of a batch, which carries the idempotence headers
        SizeLimits.checkRecordInRequest(size + batchHeaderBytes, maxRequestBytes, topic, acks);
        if (size > bufferMemory) {
            throw new MessageTooLargeException("message", size, bufferMemory, "bufferMemory");
        }

        int n = defaultHeaders.length + userHeaders + (compressed ? 1 : 0);
        WireHeader[] headers = n == 0 ? NO_HEADERS : new WireHeader[n];
        int i = 0;
        for (WireHeader h : defaultHeaders) {
            headers[i++] = h;
        }
        if (userHeaders > 0) {
            for (Header h : mh.asList()) {
                if (!idempotenceHeader(h.key())) {
                    headers[i++] = new WireHeader(h.key(), h.value());
                }
            }
        }
        if (compressed) {
            headers[i] = compressionHeader;
        }
        return new Encoded(key, value, headers, size);
    }

    /** Frees the pooled native compression contexts. */
    @Override
    public void close() {
        compressionContexts.close();
    }
}

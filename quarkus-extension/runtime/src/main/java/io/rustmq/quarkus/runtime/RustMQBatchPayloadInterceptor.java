package io.rustmq.quarkus.runtime;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.eclipse.microprofile.reactive.messaging.Message;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.arc.Arc;
import io.quarkus.arc.InstanceHandle;
import io.rustmq.messaging.IncomingRustMQBatch;
import io.rustmq.messaging.IncomingRustMQBatchMetadata;
import io.rustmq.messaging.IncomingRustMQMetadata;
import io.smallrye.reactive.messaging.IncomingInterceptor;

/**
 * Turns the records of one batch channel ({@link IncomingRustMQBatch}) into a {@code List} of the element type its
 * method declares, as the build read it from the signature. Needed because Quarkus hands converters the raw
 * {@code List} type, so the connector's converter cannot see the element type. Registered by the extension as {@code @Identifier("<channel>")}; a user
 * interceptor for the same channel with a smaller priority value replaces it.
 */
public final class RustMQBatchPayloadInterceptor implements IncomingInterceptor {

    private final String channel;
    private final String elementType;
    private volatile Class<?> element;
    private volatile ObjectMapper mapper;

    /**
     * Creates the interceptor of one channel.
     *
     * @param channel the incoming channel name
     * @param elementType binary class name of the list elements ({@code [B} for {@code byte[]})
     */
    public RustMQBatchPayloadInterceptor(String channel, String elementType) {
        this.channel = channel;
        this.elementType = elementType;
    }

    /** Runs after user interceptors of the same channel, which are usually left at the default priority. */
    @Override
    public int getPriority() {
        return Integer.MAX_VALUE;
    }

    /**
     * Converts every record of a batch.
     *
     * @param message a message from the connector
     * @return the message with an unmodifiable {@code List} of converted payloads, or unchanged if it is not a batch
     * @throws IllegalArgumentException naming the channel and record when a payload is not JSON of the element type
     */
    @Override
    public Message<?> afterMessageReceive(Message<?> message) {
        if (!(message.getPayload() instanceof IncomingRustMQBatch records)) {
            return message;
        }
        IncomingRustMQBatchMetadata batch = message.getMetadata(IncomingRustMQBatchMetadata.class).orElse(null);
        if (batch == null) {
            return message;
        }
        Class<?> type = elementClass();
        List<byte[]> payloads = records.payloads();
        List<Object> out = new ArrayList<>(payloads.size());
        for (int i = 0; i < payloads.size(); i++) {
            out.add(one(payloads.get(i), type, batch.records().get(i)));
        }
        return message.withPayload(Collections.unmodifiableList(out));
    }

    /** Acknowledgement needs no work here: the connector commits. */
    @Override
    public void onMessageAck(Message<?> message) {
        // nothing to release or count
    }

    /** Negative acknowledgement needs no work here: the connector applies the failure strategy. */
    @Override
    public void onMessageNack(Message<?> message, Throwable failure) {
        // nothing to release or count
    }

    private Object one(byte[] bytes, Class<?> type, IncomingRustMQMetadata meta) {
        if (type == byte[].class) {
            return bytes;
        }
        if (type == String.class) {
            return new String(bytes, StandardCharsets.UTF_8);
        }
        try {
            return objectMapper().readValue(bytes, type);
        } catch (IOException e) {
            throw new IllegalArgumentException("smallrye-rustmq channel '" + channel + "': the payload of "
                    + meta.getTopic() + "-" + meta.getPartition() + "@" + meta.getOffset() + " is not JSON of "
                    + type.getName() + ": " + e.getMessage(), e);
        }
    }

    private Class<?> elementClass() {
        Class<?> c = element;
        if (c == null) {
            if ("[B".equals(elementType)) {
                c = byte[].class;
            } else {
                try {
                    c = Class.forName(elementType, false, Thread.currentThread().getContextClassLoader());
                } catch (ClassNotFoundException e) {
                    throw new IllegalStateException("smallrye-rustmq channel '" + channel + "': batch element type "
                            + elementType + " not found", e);
                }
            }
            element = c;
        }
        return c;
    }

    private ObjectMapper objectMapper() {
        ObjectMapper m = mapper;
        if (m == null) {
            try (InstanceHandle<ObjectMapper> handle = Arc.container().instance(ObjectMapper.class)) {
                m = handle.isAvailable() ? handle.get() : new ObjectMapper();
            }
            mapper = m;
        }
        return m;
    }
}

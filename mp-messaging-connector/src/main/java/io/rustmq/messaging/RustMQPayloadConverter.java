package io.rustmq.messaging;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.rustmq.messaging.impl.JsonMapper;
import io.smallrye.reactive.messaging.MessageConverter;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Message;

import java.io.IOException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns the {@code byte[]} payloads of {@code smallrye-rustmq} incoming messages into the type the consuming method
 * declares: {@code String} (UTF-8), or any other type from JSON through Jackson (the application's
 * {@link ObjectMapper} bean if there is exactly one, else a default mapper). In batch mode the
 * {@link IncomingRustMQBatch} becomes the declared {@code List<T>}, converted element by element. A payload that
 * cannot be converted fails with a {@link PayloadConversionException} naming the channel, the record and the type;
 * SmallRye then nacks that message, so it follows the channel's failure strategy and the channel lives on.
 */
@ApplicationScoped
public class RustMQPayloadConverter implements MessageConverter {
    @Inject
    @Any
    Instance<ObjectMapper> objectMappers;

    private JsonMapper json;

    /** Creates the converter (CDI does this). */
    public RustMQPayloadConverter() {
    }

    /** Chooses the Jackson mapper. */
    @PostConstruct
    void init() {
        json = JsonMapper.from(objectMappers);
    }

    @Override
    public boolean canConvert(Message<?> in, Type target) {
        if (target == byte[].class || target == Object.class) {
            return false;
        }
        Object p = in.getPayload();
        if (p instanceof byte[]) {
            return in.getMetadata(IncomingRustMQMetadata.class).isPresent()
                    && in.getMetadata(IncomingRustMQBatchMetadata.class).isEmpty();
        }
        if (p instanceof IncomingRustMQBatch) {
            Type raw = target instanceof ParameterizedType pt ? pt.getRawType() : target;
            return raw == List.class || raw == java.util.Collection.class || raw == Iterable.class;
        }
        return false;
    }

    @Override
    public Message<?> convert(Message<?> in, Type target) {
        Object p = in.getPayload();
        if (p instanceof byte[] bytes) {
            IncomingRustMQMetadata meta = in.getMetadata(IncomingRustMQMetadata.class).orElseThrow();
            return in.withPayload(one(bytes, target, meta));
        }
        IncomingRustMQBatchMetadata batch = in.getMetadata(IncomingRustMQBatchMetadata.class).orElseThrow();
        Type element = target instanceof ParameterizedType pt ? pt.getActualTypeArguments()[0] : byte[].class;
        List<byte[]> list = ((IncomingRustMQBatch) p).payloads();
        List<Object> out = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
            out.add(element == byte[].class ? list.get(i) : one(list.get(i), element, batch.records().get(i)));
        }
        return in.withPayload(java.util.Collections.unmodifiableList(out));
    }

    private Object one(byte[] bytes, Type target, IncomingRustMQMetadata meta) {
        if (target == String.class || target == CharSequence.class) {
            return new String(bytes, StandardCharsets.UTF_8);
        }
        try {
            return json.read(bytes, target);
        } catch (IOException | RuntimeException e) {
            throw new PayloadConversionException(meta.getChannel(), meta.getTopic() + "-" + meta.getPartition() + "@"
                    + meta.getOffset(), target, e);
        }
    }

    /** A payload that could not be converted into the type the consuming method declares. */
    public static final class PayloadConversionException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        /**
         * Describes the failure.
         *
         * @param channel the channel
         * @param record the record, {@code topic-partition@offset}
         * @param target the type asked for
         * @param cause Jackson's error
         */
        public PayloadConversionException(String channel, String record, Type target, Throwable cause) {
            super("smallrye-rustmq channel '" + channel + "': the payload of " + record + " cannot be converted to "
                    + target.getTypeName() + ": " + cause.getMessage(), cause);
        }
    }
}

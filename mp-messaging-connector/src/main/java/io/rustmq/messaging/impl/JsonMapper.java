package io.rustmq.messaging.impl;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.inject.Instance;

import java.io.IOException;
import java.lang.reflect.Type;

/**
 * The Jackson mapper that turns payloads into JSON and back: the application's {@link ObjectMapper} bean if it has
 * exactly one (Quarkus provides one), else a plain {@code new ObjectMapper()} with the modules found on the class
 * path.
 */
public final class JsonMapper {
    private final ObjectMapper mapper;

    private JsonMapper(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /**
     * Chooses the mapper.
     *
     * @param beans the ObjectMapper beans, possibly unsatisfied
     * @return the mapper wrapper
     */
    public static JsonMapper from(Instance<ObjectMapper> beans) {
        if (beans != null && beans.isResolvable()) {
            return new JsonMapper(beans.get());
        }
        return new JsonMapper(new ObjectMapper().findAndRegisterModules());
    }

    /**
     * Serializes a value.
     *
     * @param value the value
     * @return its JSON bytes (UTF-8)
     * @throws IOException if Jackson cannot serialize it
     */
    public byte[] write(Object value) throws IOException {
        return mapper.writeValueAsBytes(value);
    }

    /**
     * Deserializes JSON.
     *
     * @param bytes UTF-8 JSON
     * @param type the target type, possibly generic
     * @return the value
     * @throws IOException if the bytes are not JSON of that type
     */
    public Object read(byte[] bytes, Type type) throws IOException {
        JavaType jt = mapper.getTypeFactory().constructType(type);
        return mapper.readValue(bytes, jt);
    }
}

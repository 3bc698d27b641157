package io.rustmq.quarkus.deployment;

import java.util.Set;

import org.jboss.jandex.ClassInfo;
import org.jboss.jandex.DotName;
import org.jboss.jandex.IndexView;
import org.jboss.jandex.ParameterizedType;
import org.jboss.jandex.PrimitiveType;
import org.jboss.jandex.Type;

/**
 * The payload of a {@code smallrye-rustmq} channel as a method signature declares it, after unwrapping
 * {@code Message}, {@code Multi}, {@code Uni}, {@code Publisher}, {@code CompletionStage} and, for batches,
 * {@code List}.
 *
 * @param kind how the bytes on the wire map to the type
 * @param type the payload type (the element type for a batch)
 * @param batch whether the signature takes a {@code List} of payloads
 */
record PayloadType(Kind kind, Type type, boolean batch) {

    /** How a payload type is converted to and from the record's bytes. */
    enum Kind {
        /** {@code String}: UTF-8. */
        STRING,
        /** {@code byte[]}: the bytes unchanged. */
        BYTES,
        /** Anything else Jackson can bind: JSON through the application's {@code ObjectMapper}. */
        JSON
    }

    private static final DotName STRING = DotName.createSimple(String.class.getName());
    private static final DotName LIST = DotName.createSimple(java.util.List.class.getName());
    private static final Set<DotName> WRAPPERS = Set.of(
            DotName.createSimple("org.eclipse.microprofile.reactive.messaging.Message"),
            DotName.createSimple("io.smallrye.reactive.messaging.TargetedMessages"),
            DotName.createSimple("io.smallrye.mutiny.Multi"),
            DotName.createSimple("io.smallrye.mutiny.Uni"),
            DotName.createSimple("org.reactivestreams.Publisher"),
            DotName.createSimple("java.util.concurrent.Flow$Publisher"),
            DotName.createSimple("java.util.concurrent.CompletionStage"),
            DotName.createSimple("java.util.concurrent.CompletableFuture"),
            DotName.createSimple("org.eclipse.microprofile.reactive.streams.operators.PublisherBuilder"));
    private static final Set<String> UNSUPPORTED_PACKAGES = Set.of("java.io.", "java.nio.channels.", "java.net.",
            "java.lang.reflect.", "java.util.concurrent.", "java.util.function.", "java.sql.", "java.lang.Thread",
            "java.lang.Runnable", "java.lang.Object", "java.lang.Class");

    /**
     * Classifies a declared type.
     *
     * @param declared the parameter, return or {@code Emitter} type argument as declared
     * @param index the application index, to see whether a class is concrete
     * @param where the method or field, named in the error
     * @return the payload type, or {@code null} when the signature gives no payload type (raw or {@code void})
     * @throws UnsupportedPayloadException if the type cannot be converted, naming {@code where}
     */
    static PayloadType of(Type declared, IndexView index, String where) {
        Type t = unwrap(declared);
        if (t == null) {
            return null;
        }
        boolean batch = false;
        if (t.name().equals(LIST)) {
            Type element = firstArgument(t);
            if (element == null) {
                return null;
            }
            batch = true;
            t = unwrap(element);
            if (t == null) {
                return null;
            }
        }
        return new PayloadType(kind(t, index, where), t, batch);
    }

    private static Type unwrap(Type t) {
        Type current = t;
        while (current != null && WRAPPERS.contains(current.name())) {
            current = firstArgument(current);
        }
        if (current == null || current.kind() == Type.Kind.VOID || current.kind() == Type.Kind.TYPE_VARIABLE
                || current.kind() == Type.Kind.WILDCARD_TYPE || current.kind() == Type.Kind.UNRESOLVED_TYPE_VARIABLE) {
            return null;
        }
        return current;
    }

    private static Type firstArgument(Type t) {
        if (t.kind() == Type.Kind.PARAMETERIZED_TYPE) {
            ParameterizedType p = t.asParameterizedType();
            return p.arguments().isEmpty() ? null : p.arguments().get(0);
        }
        return null;
    }

    private static Kind kind(Type t, IndexView index, String where) {
        if (t.name().equals(STRING)) {
            return Kind.STRING;
        }
        if (t.kind() == Type.Kind.ARRAY) {
            Type component = t.asArrayType().constituent();
            if (t.asArrayType().dimensions() == 1 && component.kind() == Type.Kind.PRIMITIVE
                    && component.asPrimitiveType().primitive() == PrimitiveType.Primitive.BYTE) {
                return Kind.BYTES;
            }
            throw new UnsupportedPayloadException(where, t, "only byte[] is supported among arrays");
        }
        if (t.kind() == Type.Kind.PRIMITIVE) {
            throw new UnsupportedPayloadException(where, t, "use String, byte[] or a JSON-mappable class");
        }
        String name = t.name().toString();
        for (String prefix : UNSUPPORTED_PACKAGES) {
            if (name.startsWith(prefix)) {
                throw new UnsupportedPayloadException(where, t, "not a data type that can be read from bytes");
            }
        }
        ClassInfo info = index.getClassByName(t.name());
        if (info != null && (info.isInterface() || java.lang.reflect.Modifier.isAbstract(info.flags()))
                && !name.startsWith("com.fasterxml.jackson.")) {
            throw new UnsupportedPayloadException(where, t,
                    "an interface or abstract class cannot be created from JSON; use a concrete class or record");
        }
        return Kind.JSON;
    }

    /** A channel method or emitter whose payload type cannot be converted; fails the build. */
    static final class UnsupportedPayloadException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UnsupportedPayloadException(String where, Type type, String reason) {
            super("Unsupported payload type " + type + " in " + where + " for a smallrye-rustmq channel: " + reason
                    + ". Supported: String, byte[], List<T> (batch) and JSON-mappable classes");
        }
    }
}

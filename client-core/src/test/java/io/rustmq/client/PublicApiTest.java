package io.rustmq.client;

import io.rustmq.client.consumer.Consumer;
import io.rustmq.client.producer.Producer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Member;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Scans the compiled public packages of client-core ({@code io.rustmq.client} and its sub-packages except
 * {@code internal} and {@code protocol}) and checks that what a user can see names only public API types.
 */
class PublicApiTest {
    /** Type name prefixes that must not appear in a public signature. */
    private static final List<String> FORBIDDEN = List.of("io.rustmq.client.protocol.", "io.rustmq.client.internal.",
            "io.netty.");

    private static List<Class<?>> publicTypes;

    @BeforeAll
    static void loadPublicTypes() throws Exception {
        URL anchor = PublicApiTest.class.getClassLoader().getResource("io/rustmq/client/RustMQClient.class");
        assertThat(anchor).as("client-core classes on the test class path").isNotNull();
        assertThat(anchor.getProtocol()).as("client-core classes in a directory").isEqualTo("file");
        Path clientDir = Path.of(anchor.toURI()).getParent();
        Path root = clientDir.getParent().getParent().getParent();
        List<Class<?>> out = new ArrayList<>();
        try (Stream<Path> files = Files.walk(clientDir)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".class")).toList()) {
                String name = root.relativize(f).toString().replace(f.getFileSystem().getSeparator(), ".");
                name = name.substring(0, name.length() - ".class".length());
                if (name.startsWith("io.rustmq.client.internal.") || name.startsWith("io.rustmq.client.protocol.")
                        || name.endsWith("package-info")) {
                    continue;
                }
                Class<?> c = Class.forName(name, false, PublicApiTest.class.getClassLoader());
                if (isVisible(c)) {
                    out.add(c);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        publicTypes = out;
    }

    /** A public type reachable by users: public itself and, if nested, inside visible types. */
    private static boolean isVisible(Class<?> c) {
        if (c.isAnonymousClass() || c.isLocalClass() || c.isSynthetic()) {
            return false;
        }
        for (Class<?> k = c; k != null; k = k.getDeclaringClass()) {
            if (!Modifier.isPublic(k.getModifiers())) {
                return false;
            }
        }
        return true;
    }

    @Test
    void scansTheEntryPointsOfEveryPublicPackage() {
        assertThat(publicTypes).contains(RustMQClient.class, TopicPartition.class, Producer.class, Consumer.class,
                io.rustmq.client.stream.MessageStream.class, io.rustmq.client.metrics.ConsumerMetrics.class,
                io.rustmq.client.compression.Compression.class, io.rustmq.client.tracing.MessageTracer.class);
        assertThat(publicTypes).allSatisfy(c -> assertThat(c.getPackageName())
                .doesNotStartWith("io.rustmq.client.internal").isNotEqualTo("io.rustmq.client.protocol"));
    }

    @Test
    void noPublicSignatureNamesAProtocolInternalOrNettyType() {
        List<String> leaks = new ArrayList<>();
        for (Class<?> c : publicTypes) {
            check(leaks, c.getName() + " extends", c.getGenericSuperclass());
            for (Type t : c.getGenericInterfaces()) {
                check(leaks, c.getName() + " implements", t);
            }
            for (TypeVariable<?> v : c.getTypeParameters()) {
                check(leaks, c.getName() + "<" + v + ">", v);
            }
            for (Field f : c.getDeclaredFields()) {
                if (exposed(f)) {
                    check(leaks, c.getName() + "." + f.getName(), f.getGenericType());
                }
            }
            for (Constructor<?> k : c.getDeclaredConstructors()) {
                if (exposed(k)) {
                    checkExecutable(leaks, c.getName() + ".<init>", k);
                }
            }
            for (Method m : c.getDeclaredMethods()) {
                if (exposed(m) && !m.isBridge()) {
                    check(leaks, c.getName() + "." + m.getName() + " returns", m.getGenericReturnType());
                    checkExecutable(leaks, c.getName() + "." + m.getName(), m);
                }
            }
        }
        assertThat(leaks).as("public signatures naming " + FORBIDDEN).isEmpty();
    }

    @Test
    void noPublicClassImplementsTheProducerOrConsumer() {
        assertThat(publicTypes).as("implementations of Producer/Consumer belong in internal packages")
                .noneMatch(c -> !c.isInterface() && (Producer.class.isAssignableFrom(c)
                        || Consumer.class.isAssignableFrom(c)));
        assertThat(publicTypes).extracting(Class::getSimpleName)
                .doesNotContain("DefaultProducer", "DefaultConsumer", "ConnectionPool", "BrokerConnection",
                        "QuicTransport");
    }

    @Test
    void userFacingTopicPartitionValidatesAndSorts() {
        assertThat(new TopicPartition("a", 2)).isLessThan(new TopicPartition("a", 10))
                .isGreaterThan(new TopicPartition("0", 99)).hasToString("a-2");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new TopicPartition(" ", 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("topic");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> TopicPartition.of("t", -1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("partition");
    }

    private static boolean exposed(Member m) {
        int mod = m.getModifiers();
        return !m.isSynthetic() && (Modifier.isPublic(mod) || Modifier.isProtected(mod));
    }

    private static void checkExecutable(List<String> leaks, String where, Executable e) {
        for (Type t : e.getGenericParameterTypes()) {
            check(leaks, where + " parameter", t);
        }
        for (Type t : e.getGenericExceptionTypes()) {
            check(leaks, where + " throws", t);
        }
        for (TypeVariable<?> v : e.getTypeParameters()) {
            check(leaks, where + " <" + v + ">", v);
        }
    }

    private static void check(List<String> leaks, String where, Type type) {
        walk(type, new HashSet<>(), name -> leaks.add(where + ": " + name));
    }

    /** Visits every class named by a type, its type arguments, bounds and array components. */
    private static void walk(Type type, Set<Type> seen, java.util.function.Consumer<String> onLeak) {
        if (type == null || !seen.add(type)) {
            return;
        }
        if (type instanceof Class<?> c) {
            while (c.isArray()) {
                c = c.getComponentType();
            }
            String name = c.getName();
            if (FORBIDDEN.stream().anyMatch(name::startsWith)) {
                onLeak.accept(name);
            }
        } else if (type instanceof ParameterizedType p) {
            walk(p.getRawType(), seen, onLeak);
            walk(p.getOwnerType(), seen, onLeak);
            for (Type a : p.getActualTypeArguments()) {
                walk(a, seen, onLeak);
            }
        } else if (type instanceof WildcardType w) {
            for (Type b : w.getUpperBounds()) {
                walk(b, seen, onLeak);
            }
            for (Type b : w.getLowerBounds()) {
                walk(b, seen, onLeak);
            }
        } else if (type instanceof GenericArrayType g) {
            walk(g.getGenericComponentType(), seen, onLeak);
        } else if (type instanceof TypeVariable<?> v) {
            for (Type b : v.getBounds()) {
                walk(b, seen, onLeak);
            }
        }
    }
}

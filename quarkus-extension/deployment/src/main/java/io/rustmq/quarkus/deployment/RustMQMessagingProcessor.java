package io.rustmq.quarkus.deployment;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.jandex.AnnotationInstance;
import org.jboss.jandex.AnnotationTarget;
import org.jboss.jandex.DotName;
import org.jboss.jandex.IndexView;
import org.jboss.jandex.MethodInfo;
import org.jboss.jandex.MethodParameterInfo;
import org.jboss.jandex.Type;

import io.quarkus.arc.deployment.SyntheticBeanBuildItem;
import io.quarkus.deployment.annotations.BuildProducer;
import io.quarkus.deployment.annotations.BuildStep;
import io.quarkus.deployment.annotations.ExecutionTime;
import io.quarkus.deployment.annotations.Record;
import io.quarkus.deployment.builditem.CombinedIndexBuildItem;
import io.quarkus.deployment.builditem.RunTimeConfigurationDefaultBuildItem;
import io.quarkus.deployment.builditem.nativeimage.ReflectiveClassBuildItem;
import io.quarkus.smallrye.reactivemessaging.deployment.items.ConnectorManagedChannelBuildItem;
import io.rustmq.quarkus.runtime.RustMQBatchPayloadInterceptor;
import io.rustmq.quarkus.runtime.RustMQRecorder;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.reactive.messaging.IncomingInterceptor;

/**
 * Chooses each {@code smallrye-rustmq} channel's payload conversion at build time from the application's
 * {@code @Incoming}/{@code @Outgoing} signatures and {@code Emitter} injection points: {@code String}, {@code byte[]}
 * or JSON; a {@code List<T>} parameter turns on batch mode; an unsupported type fails the build naming the method.
 */
public class RustMQMessagingProcessor {

    private static final DotName INCOMING = DotName.createSimple("org.eclipse.microprofile.reactive.messaging.Incoming");
    private static final DotName INCOMINGS = DotName.createSimple("io.smallrye.reactive.messaging.annotations.Incomings");
    private static final DotName OUTGOING = DotName.createSimple("org.eclipse.microprofile.reactive.messaging.Outgoing");
    private static final Set<DotName> CHANNEL = Set.of(
            DotName.createSimple("org.eclipse.microprofile.reactive.messaging.Channel"),
            DotName.createSimple("io.smallrye.reactive.messaging.annotations.Channel"));
    private static final Set<DotName> EMITTERS = Set.of(
            DotName.createSimple("org.eclipse.microprofile.reactive.messaging.Emitter"),
            DotName.createSimple("io.smallrye.reactive.messaging.MutinyEmitter"));

    /**
     * For each batch channel, an {@code @Identifier("<channel>")} interceptor that converts the list elements into
     * the declared element type.
     */
    @BuildStep
    @Record(ExecutionTime.STATIC_INIT)
    void batchInterceptors(List<RustMQChannelPayloadBuildItem> payloads, RustMQRecorder recorder,
            BuildProducer<SyntheticBeanBuildItem> beans) {
        for (RustMQChannelPayloadBuildItem p : payloads) {
            if (p.incoming() && p.batch()) {
                beans.produce(SyntheticBeanBuildItem.configure(RustMQBatchPayloadInterceptor.class)
                        .types(IncomingInterceptor.class)
                        .addQualifier().annotation(Identifier.class).addValue("value", p.channel()).done()
                        .scope(Singleton.class)
                        .unremovable()
                        .supplier(recorder.batchInterceptor(p.channel(), p.typeName()))
                        .done());
            }
        }
    }

    @BuildStep
    void detectPayloads(CombinedIndexBuildItem combinedIndex, List<ConnectorManagedChannelBuildItem> channels,
            BuildProducer<RustMQChannelPayloadBuildItem> payloads,
            BuildProducer<RunTimeConfigurationDefaultBuildItem> defaults,
            BuildProducer<ReflectiveClassBuildItem> reflective) {
        Set<String> incoming = names(channels, true);
        Set<String> outgoing = names(channels, false);
        if (incoming.isEmpty() && outgoing.isEmpty()) {
            return;
        }
        IndexView index = combinedIndex.getIndex();
        Map<String, PayloadType> in = new LinkedHashMap<>();
        Map<String, PayloadType> out = new LinkedHashMap<>();

        for (AnnotationInstance a : index.getAnnotations(INCOMING)) {
            incomingMethod(a, incoming, index, in);
        }
        for (AnnotationInstance container : index.getAnnotations(INCOMINGS)) {
            for (AnnotationInstance a : container.value().asNestedArray()) {
                incomingMethod(AnnotationInstance.create(INCOMING, container.target(), a.values()), incoming, index,
                        in);
            }
        }
        for (AnnotationInstance a : index.getAnnotations(OUTGOING)) {
            String channel = a.value().asString();
            if (outgoing.contains(channel) && a.target().kind() == AnnotationTarget.Kind.METHOD) {
                MethodInfo m = a.target().asMethod();
                record(out, channel, PayloadType.of(m.returnType(), index, where(m)));
            }
        }
        for (DotName channelAnnotation : CHANNEL) {
            for (AnnotationInstance a : index.getAnnotations(channelAnnotation)) {
                injectedChannel(a, incoming, outgoing, index, in, out);
            }
        }

        in.forEach((channel, payload) -> {
            payloads.produce(new RustMQChannelPayloadBuildItem(channel, true, payload));
            if (payload.batch()) {
                defaults.produce(new RunTimeConfigurationDefaultBuildItem(
                        "mp.messaging.incoming." + channel + ".batch", "true"));
            }
        });
        out.forEach((channel, payload) -> payloads.produce(new RustMQChannelPayloadBuildItem(channel, false, payload)));

        // Native image: Jackson binds JSON payload classes reflectively.
        String[] jsonClasses = java.util.stream.Stream.concat(in.values().stream(), out.values().stream())
                .filter(p -> p.kind() == PayloadType.Kind.JSON)
                .map(p -> p.type().name().toString())
                .distinct().toArray(String[]::new);
        if (jsonClasses.length > 0) {
            reflective.produce(ReflectiveClassBuildItem.builder(jsonClasses).constructors().methods().fields().build());
        }
    }

    private static void incomingMethod(AnnotationInstance a, Set<String> incoming, IndexView index,
            Map<String, PayloadType> in) {
        String channel = a.value().asString();
        if (incoming.contains(channel) && a.target().kind() == AnnotationTarget.Kind.METHOD) {
            MethodInfo m = a.target().asMethod();
            if (m.parametersCount() > 0) {
                record(in, channel, PayloadType.of(m.parameterType(0), index, where(m)));
            }
        }
    }

    private static void injectedChannel(AnnotationInstance a, Set<String> incoming, Set<String> outgoing,
            IndexView index, Map<String, PayloadType> in, Map<String, PayloadType> out) {
        String channel = a.value().asString();
        Type type;
        String where;
        if (a.target().kind() == AnnotationTarget.Kind.FIELD) {
            type = a.target().asField().type();
            where = a.target().asField().declaringClass().name() + "#" + a.target().asField().name();
        } else if (a.target().kind() == AnnotationTarget.Kind.METHOD_PARAMETER) {
            MethodParameterInfo p = a.target().asMethodParameter();
            type = p.method().parameterType(p.position());
            where = where(p.method()) + " parameter " + p.position();
        } else {
            return;
        }
        if (EMITTERS.contains(type.name())) {
            if (outgoing.contains(channel) && type.kind() == Type.Kind.PARAMETERIZED_TYPE) {
                record(out, channel, PayloadType.of(type.asParameterizedType().arguments().get(0), index, where));
            }
        } else if (incoming.contains(channel)) {
            record(in, channel, PayloadType.of(type, index, where));
        }
    }

    private static void record(Map<String, PayloadType> byChannel, String channel, PayloadType payload) {
        if (payload != null) {
            byChannel.putIfAbsent(channel, payload);
        }
    }

    private static String where(MethodInfo m) {
        return m.declaringClass().name() + "#" + m.name() + "()";
    }

    /** Channels configured with {@code connector=smallrye-rustmq}, and those Quarkus attached to it automatically. */
    private static Set<String> names(List<ConnectorManagedChannelBuildItem> channels, boolean incoming) {
        Set<String> names = new HashSet<>();
        for (ConnectorManagedChannelBuildItem c : channels) {
            if (RustMQDevServicesProcessor.CONNECTOR.equals(c.getConnector()) && c.isIncoming() == incoming) {
                names.add(c.getName());
            }
        }
        for (RustMQDevServicesProcessor.Channel c : RustMQDevServicesProcessor.Channel.all(ConfigProvider.getConfig())) {
            if (c.prefix().startsWith(incoming ? "mp.messaging.incoming." : "mp.messaging.outgoing.")) {
                names.add(c.name());
            }
        }
        return names;
    }
}

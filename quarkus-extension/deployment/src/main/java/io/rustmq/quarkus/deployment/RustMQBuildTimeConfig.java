package io.rustmq.quarkus.deployment;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

import io.quarkus.runtime.annotations.ConfigPhase;
import io.quarkus.runtime.annotations.ConfigRoot;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Build-time configuration of the RustMQ extension, {@code quarkus.rustmq.health.*}, {@code .metrics.*} and
 * {@code .devservices.*}. */
@ConfigMapping(prefix = "quarkus.rustmq")
@ConfigRoot(phase = ConfigPhase.BUILD_TIME)
public interface RustMQBuildTimeConfig {

    /** Health checks. */
    Health health();

    /** Dev Services: an embedded broker inside the dev/test JVM, no container runtime needed. */
    DevServices devservices();

    /** Micrometer meters. */
    Metrics metrics();

    /** Micrometer meters, {@code quarkus.rustmq.metrics.*}. */
    interface Metrics {
        /**
         * Whether the {@code rustmq.*} meters of the CDI client (and of its producers, consumers and streams) are
         * bound to the application's {@code MeterRegistry} when the {@code quarkus-micrometer} extension is present.
         */
        @WithDefault("true")
        boolean enabled();
    }

    /** Health checks, {@code quarkus.rustmq.health.*}. */
    interface Health {
        /**
         * Whether readiness checks for the client (and the {@code smallrye-rustmq} channels) are published when
         * the {@code quarkus-smallrye-health} extension is present.
         */
        @WithDefault("true")
        boolean enabled();
    }

    /** Dev Services, {@code quarkus.rustmq.devservices.*}. */
    interface DevServices {
        /**
         * Whether an embedded broker is started in dev and test mode when {@code quarkus.rustmq.brokers} is unset and
         * no {@code smallrye-rustmq} channel sets {@code brokers}.
         */
        @WithDefault("true")
        boolean enabled();

        /** The UDP port of the embedded broker; a free port when unset. */
        OptionalInt port();

        /** Topics to create, as {@code name:partitions} (or {@code name} for the default partition count). */
        Optional<List<String>> topics();

        /** The partition count of the channels' topics and of topics created on first use. */
        @WithDefault("1")
        int defaultPartitions();

        /**
         * The most bytes each partition of the broker keeps, dropping its oldest records past it (bytes; -1 for
         * unlimited); unset keeps the embedded broker's default of 256 MiB a partition.
         */
        OptionalLong retentionBytes();

        /** Records older than this many milliseconds are dropped (-1 or unset: no age limit). */
        OptionalLong retentionMs();

        /**
         * A directory where the broker keeps its log, committed offsets and idempotence state, so that a restarted
         * dev broker on the same directory (and {@code port}) continues where it stopped; unset keeps everything in
         * memory.
         */
        Optional<String> logDir();

        /** How often the broker logs what it retains; unset logs it once at start. */
        Optional<java.time.Duration> statsInterval();
    }
}

package io.rustmq.broker;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EmbeddedBrokerBuilderTest {
    @TempDir
    Path dir;

    @Test
    void invalidSettingsFailFastNamingTheField() {
        EmbeddedBroker.Builder b = EmbeddedBroker.builder();
        assertThatThrownBy(() -> b.port(-1)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("port");
        assertThatThrownBy(() -> b.port(65536)).hasMessageContaining("port");
        assertThatThrownBy(() -> b.host(" ")).hasMessageContaining("host");
        assertThatThrownBy(() -> b.host(null)).hasMessageContaining("host");
        assertThatThrownBy(() -> b.brokerId("")).hasMessageContaining("brokerId");
        assertThatThrownBy(() -> b.topic("", 1)).hasMessageContaining("topic");
        assertThatThrownBy(() -> b.topic("t", 0)).hasMessageContaining("partitions");
        assertThatThrownBy(() -> b.defaultPartitions(0)).hasMessageContaining("defaultPartitions");
        assertThatThrownBy(() -> b.maxRequestBytes(8)).hasMessageContaining("maxRequestBytes");
        assertThatThrownBy(() -> b.certificate(null, dir)).hasMessageContaining("certificate");
        assertThatThrownBy(() -> b.clientCa(null)).hasMessageContaining("clientCa");
    }

    @Test
    void unreadableOrInvalidPemFilesFailAtBuildNamingTheField() throws Exception {
        Path missing = dir.resolve("missing.pem");
        assertThatThrownBy(() -> EmbeddedBroker.builder().certificate(missing, missing).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("certificate");
        assertThatThrownBy(() -> EmbeddedBroker.builder().clientCa(missing).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("clientCa");
        Path garbage = Files.writeString(dir.resolve("garbage.pem"), "not a pem\n");
        assertThatThrownBy(() -> EmbeddedBroker.builder().clientCa(garbage).build())
                .hasMessageContaining("clientCa").hasMessageContaining("no PEM certificate");
    }

    @Test
    void topicsAreCreatedAtBuildAndCanBeAddedBeforeStart() {
        EmbeddedBroker b = EmbeddedBroker.builder().topic("a", 3).topic("b", 1).build();
        b.createTopic("c", 2);
        b.createTopic("c", 2);
        assertThat(b.topics()).containsExactly(org.assertj.core.api.Assertions.entry("a", 3),
                org.assertj.core.api.Assertions.entry("b", 1), org.assertj.core.api.Assertions.entry("c", 2));
        assertThatThrownBy(() -> b.createTopic("c", 5)).isInstanceOf(IllegalArgumentException.class);
        assertThat(b.isRunning()).isFalse();
        assertThatThrownBy(b::bootstrap).isInstanceOf(IllegalStateException.class);
        b.close();
    }

    @Test
    void advertisedHostMapsWildcardsToLoopback() {
        assertThat(EmbeddedBroker.advertisedHost("0.0.0.0")).isEqualTo("127.0.0.1");
        assertThat(EmbeddedBroker.advertisedHost("::")).isEqualTo("::1");
        assertThat(EmbeddedBroker.advertisedHost("[::]")).isEqualTo("::1");
        assertThat(EmbeddedBroker.advertisedHost("localhost")).isEqualTo("localhost");
    }
}

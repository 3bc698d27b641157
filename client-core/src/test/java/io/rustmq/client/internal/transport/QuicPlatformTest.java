package io.rustmq.client.internal.transport;

import io.rustmq.client.UnsupportedPlatformException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

class QuicPlatformTest {
    @Test
    void anUnsupportedPlatformIsNamedInTheError() {
        UnsatisfiedLinkError cause = new UnsatisfiedLinkError("no netty_quiche_sunos_sparcv9");
        UnsupportedPlatformException e = QuicPlatform.unsupported("SunOS", "sparcv9", cause);
        assertThat(e).hasMessageContaining("os.name=SunOS").hasMessageContaining("os.arch=sparcv9")
                .hasMessageContaining("linux-aarch_64").hasMessageContaining("osx-aarch_64")
                .hasMessageContaining("no netty_quiche_sunos_sparcv9").hasCause(cause);
        assertThat(e.osName()).isEqualTo("SunOS");
        assertThat(e.osArch()).isEqualTo("sparcv9");
        assertThat(e.isRetriable()).isFalse();
    }

    @Test
    void theNativesOfThisBuildMachineLoad() {
        assertThatCode(QuicPlatform::requireNatives).doesNotThrowAnyException();
    }
}

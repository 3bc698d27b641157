package io.rustmq.client.internal.transport;

import io.netty.incubator.codec.quic.Quic;
import io.rustmq.client.UnsupportedPlatformException;

/**
 * Checks, when a client is created, that the QUIC codec's native library loads on this machine, so that an
 * unsupported platform fails at once with a message that names it instead of on the first send.
 */
public final class QuicPlatform {
    /** The platforms whose natives rustmq-client depends on (netty-incubator-codec-native-quic 0.0.75.Final). */
    public static final String SUPPORTED = "linux-x86_64, linux-aarch_64, osx-x86_64, osx-aarch_64, windows-x86_64";

    private QuicPlatform() {
    }

    /**
     * Loads the native QUIC library if it is not loaded yet.
     *
     * @throws UnsupportedPlatformException naming {@code os.name} and {@code os.arch} if it cannot be loaded
     */
    public static void requireNatives() {
        if (!Quic.isAvailable()) {
            throw unsupported(System.getProperty("os.name"), System.getProperty("os.arch"),
                    Quic.unavailabilityCause());
        }
    }

    /**
     * The error for a platform whose natives do not load.
     *
     * @param osName the {@code os.name}
     * @param osArch the {@code os.arch}
     * @param cause why loading failed, or {@code null}
     * @return the exception to throw
     */
    static UnsupportedPlatformException unsupported(String osName, String osArch, Throwable cause) {
        return new UnsupportedPlatformException("the native QUIC library (netty-incubator-codec-native-quic) cannot"
                + " be loaded on this platform: os.name=" + osName + ", os.arch=" + osArch
                + "; rustmq-client ships natives for " + SUPPORTED
                + (cause == null ? "" : "; cause: " + cause), osName, osArch, cause);
    }
}

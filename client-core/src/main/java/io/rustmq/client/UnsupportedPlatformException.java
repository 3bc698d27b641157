package io.rustmq.client;

/**
 * The native QUIC library cannot run on this machine: no native build of the QUIC codec is published for its
 * operating system and architecture, or the one found failed to load. Not retriable. The message names
 * {@code os.name} and {@code os.arch} and the platforms that are supported.
 */
public class UnsupportedPlatformException extends RustMQException {
    private static final long serialVersionUID = 1L;

    private final String osName;
    private final String osArch;

    /**
     * Creates an exception.
     *
     * @param message what failed, naming the platform
     * @param osName the {@code os.name} of this JVM
     * @param osArch the {@code os.arch} of this JVM
     * @param cause why the native library did not load, or {@code null}
     */
    public UnsupportedPlatformException(String message, String osName, String osArch, Throwable cause) {
        super(message, cause, false);
        this.osName = osName;
        this.osArch = osArch;
    }

    /**
     * The operating system this JVM reports.
     *
     * @return the {@code os.name} system property
     */
    public String osName() {
        return osName;
    }

    /**
     * The architecture this JVM reports.
     *
     * @return the {@code os.arch} system property
     */
    public String osArch() {
        return osArch;
    }
}

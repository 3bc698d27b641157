package io.rustmq.client.compression;

import io.rustmq.client.ConfigurationException;

/**
 * How a producer compresses values: the codec, its level, and the smallest value worth compressing.
 *
 * @param codec the codec
 * @param level the codec's level (see {@link Compression#levelRange()})
 * @param minSize values shorter than this many bytes are sent uncompressed
 */
public record CompressionConfig(Compression codec, int level, int minSize) {
    /** The default {@code minSize}: 1 KiB. */
    public static final int DEFAULT_MIN_SIZE = 1024;

    /** No compression. */
    public static final CompressionConfig NONE = new CompressionConfig(Compression.NONE, 0, DEFAULT_MIN_SIZE);

    /**
     * Validates the fields.
     *
     * @throws ConfigurationException naming the field ({@code compression.codec}, {@code compression.level},
     *     {@code compression.minSize})
     */
    public CompressionConfig {
        if (codec == null) {
            throw new ConfigurationException("compression.codec", null, "must not be null (use NONE)");
        }
        if (!codec.isValidLevel(level)) {
            throw new ConfigurationException("compression.level", level,
                    "must be in " + codec.levelRange() + " for " + codec);
        }
        if (minSize < 0) {
            throw new ConfigurationException("compression.minSize", minSize, "must be at least 0 bytes");
        }
    }

    /**
     * A codec with its default level and a 1 KiB minimum size.
     *
     * @param codec the codec
     * @return the configuration
     */
    public static CompressionConfig of(Compression codec) {
        return new CompressionConfig(codec, codec.defaultLevel(), DEFAULT_MIN_SIZE);
    }
}

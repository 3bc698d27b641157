package io.rustmq.messaging.impl;

/** Builds the configuration errors of the connector: each names the channel, the attribute and the bad value. */
public final class Problems {
    private Problems() {
    }

    /**
     * An attribute has a value the connector cannot use.
     *
     * @param channel the channel
     * @param attribute the attribute
     * @param value the value given
     * @param why what is expected
     * @return the exception to throw
     */
    public static IllegalArgumentException badAttribute(String channel, String attribute, Object value, String why) {
        return new IllegalArgumentException("smallrye-rustmq channel '" + channel + "': attribute '" + attribute
                + "' = '" + value + "' " + why);
    }

    /**
     * A required attribute is missing.
     *
     * @param channel the channel
     * @param direction {@code incoming} or {@code outgoing}
     * @param attribute the attribute
     * @param hint how else it may be provided
     * @return the exception to throw
     */
    public static IllegalArgumentException missingAttribute(String channel, String direction, String attribute,
                                                            String hint) {
        return new IllegalArgumentException("smallrye-rustmq channel '" + channel + "': the attribute '" + attribute
                + "' is required (set mp.messaging." + direction + "." + channel + "." + attribute
                + " or mp.messaging.connector.smallrye-rustmq." + attribute + hint + ")");
    }
}

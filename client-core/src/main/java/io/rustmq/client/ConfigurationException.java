package io.rustmq.client;

/**
 * A configuration value was missing or invalid. Thrown at {@code build()} or construction time, never later; the
 * message names the field and the rejected value. Never retriable.
 */
public class ConfigurationException extends RustMQException {
    private static final long serialVersionUID = 1L;

    private final String field;

    /**
     * Creates an exception for one bad field.
     *
     * @param field the configuration field's name, as in the builder (for example {@code requestTimeout})
     * @param value the rejected value (may be {@code null})
     * @param reason what a valid value looks like
     */
    public ConfigurationException(String field, Object value, String reason) {
        super("Invalid configuration: " + field + " = " + describe(value) + ": " + reason, null, false);
        this.field = field;
    }

    /**
     * Creates an exception for one bad field, with an underlying cause (for example an unreadable file).
     *
     * @param field the configuration field's name
     * @param value the rejected value
     * @param reason what went wrong
     * @param cause the underlying failure
     */
    public ConfigurationException(String field, Object value, String reason, Throwable cause) {
        super("Invalid configuration: " + field + " = " + describe(value) + ": " + reason, cause, false);
        this.field = field;
    }

    /**
     * The name of the field that was rejected.
     *
     * @return the field name as used by the builder
     */
    public String field() {
        return field;
    }

    private static String describe(Object value) {
        return value instanceof CharSequence ? "'" + value + "'" : String.valueOf(value);
    }
}

package io.rustmq.client;

/**
 * The broker answered with an error frame ({@code 0xFF} followed by text). The text is kept verbatim in
 * {@link #brokerMessage()}; it is meant for people and is not a stable API.
 *
 * <p>Retriable when the text shows a transient condition: a request that the broker read only in part
 * ({@code io error}, spec bug B1) or a partition that moved ({@code Not leader}, {@code Partition not found}).
 */
public class BrokerErrorException extends RustMQException {
    private static final long serialVersionUID = 1L;

    private final String brokerMessage;

    /**
     * Creates an exception from the broker's error text.
     *
     * @param brokerMessage the UTF-8 text after the {@code 0xFF} byte, as sent
     */
    public BrokerErrorException(String brokerMessage) {
        super("Broker error: " + brokerMessage, null, isTransient(brokerMessage));
        this.brokerMessage = brokerMessage;
    }

    /**
     * The text the broker sent, verbatim.
     *
     * @return the error text, usually starting with {@code "Error: "}
     */
    public String brokerMessage() {
        return brokerMessage;
    }

    private static boolean isTransient(String text) {
        return text.contains("io error") || text.contains("Not leader") || text.contains("Partition not found");
    }
}

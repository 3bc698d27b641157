package io.rustmq.it.jakarta.app;

import io.rustmq.client.consumer.ConsumerMessage;

/** The one-line form in which the test MDBs record a message: tab-separated fields. */
public final class Records {
    /** The header the test application sets on every message. */
    public static final String HEADER = "it-header";

    private Records() {
    }

    /**
     * A message as key, payload, header, delivery count and delivering thread, tab-separated.
     *
     * @param m the message
     * @return the line
     */
    public static String line(ConsumerMessage m) {
        return m.keyAsString() + "\t" + m.payloadAsString() + "\t" + m.headers().lastString(HEADER) + "\t"
                + m.deliveryCount() + "\t" + Thread.currentThread().getName();
    }
}

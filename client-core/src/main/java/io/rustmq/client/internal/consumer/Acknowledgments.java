package io.rustmq.client.internal.consumer;

import io.rustmq.client.consumer.ConsumerMessage;

import java.time.Duration;
import java.util.concurrent.atomic.LongAdder;

/**
 * Acknowledgments from the application: an ack marks the offset in its partition's {@link AckTracker} (one
 * uncontended monitor per partition, no consumer-wide lock); a nack schedules a redelivery after the backoff, or,
 * once the redeliveries are used up and a dead-letter topic is configured, hands the message to the
 * {@link DeadLetterer}, which does its I/O on its own thread. Runs on the application's threads, never blocks.
 */
public final class Acknowledgments implements AckListener {
    private static final System.Logger LOG = System.getLogger(Acknowledgments.class.getName());

    private final MessageAccess access;
    private final Delivery delivery;
    private final DeadLetterer deadLetterer;
    private final int maxRedeliveries;
    private final Duration redeliveryBackoff;
    private final LongAdder processed = new LongAdder();
    private final LongAdder nacked = new LongAdder();

    /**
     * Creates the handler.
     *
     * @param access reads messages' partition and epoch
     * @param delivery schedules redeliveries
     * @param deadLetterer the dead-letter path, {@code null} without a dead-letter topic
     * @param maxRedeliveries redeliveries before dead-lettering
     * @param redeliveryBackoff the wait before a redelivery
     */
    public Acknowledgments(MessageAccess access, Delivery delivery, DeadLetterer deadLetterer, int maxRedeliveries,
                           Duration redeliveryBackoff) {
        this.access = access;
        this.delivery = delivery;
        this.deadLetterer = deadLetterer;
        this.maxRedeliveries = maxRedeliveries;
        this.redeliveryBackoff = redeliveryBackoff;
    }

    /**
     * Messages acknowledged.
     *
     * @return the count
     */
    public long processed() {
        return processed.sum();
    }

    /**
     * Negative acknowledgments.
     *
     * @return the count
     */
    public long nacked() {
        return nacked.sum();
    }

    @Override
    public void ack(ConsumerMessage m) {
        if (access.owner(m).acks.ack(m.offset(), access.epoch(m))) {
            processed.increment();
        } else {
            LOG.log(System.Logger.Level.DEBUG, () -> "ignoring the acknowledgment of " + m
                    + ": its partition was revoked or seeked since");
        }
    }

    @Override
    public void nack(ConsumerMessage m, Throwable reason) {
        nacked.increment();
        if (deadLetterer != null && m.deliveryCount() > maxRedeliveries) {
            deadLetterer.deadLetter(m, reason);
            return;
        }
        access.owner(m).acks.settledWithoutAck(access.epoch(m));
        LOG.log(System.Logger.Level.DEBUG, () -> "redelivering " + m + " after " + redeliveryBackoff
                + "; nacked because: " + reason);
        delivery.scheduleRedelivery(access.redelivery(m), redeliveryBackoff.toNanos());
    }

    /**
     * Gives back a message taken but never handed to the application, for immediate redelivery.
     *
     * @param m the message
     */
    public void release(ConsumerMessage m) {
        access.owner(m).acks.settledWithoutAck(access.epoch(m));
        delivery.scheduleRedelivery(access.undelivered(m), 0);
    }
}

package io.rustmq.client.internal.consumer;

/**
 * Tracks acknowledged offsets of one partition and yields the offset that is safe to commit: the first offset not
 * yet acknowledged, so that no gap is ever committed. Acknowledgments usually arrive in order (one comparison and an
 * increment); out-of-order ones are kept in a ring of bits ahead of that offset, which grows as needed.
 *
 * <p>An epoch guards against stale acknowledgments: after {@link #reset} (a seek or a new assignment) an
 * acknowledgment carrying an older epoch is ignored. The tracker also counts deliveries not yet settled
 * (acknowledged, or given back for redelivery), so that a revocation can wait for them. Thread-safe (one monitor per
 * partition, uncontended in the usual case of one application thread per partition).
 */
final class AckTracker {
    private static final int INITIAL_WORDS = 2;

    /** The first offset not acknowledged: everything below it is acknowledged. */
    private long next;
    /** Acknowledged offsets above {@link #next}: bit {@code o mod (64 * ahead.length)}. */
    private long[] ahead = new long[INITIAL_WORDS];
    private int aheadCount;
    private int epoch;
    /** Deliveries of this epoch not yet acknowledged or given back. */
    private int unsettled;

    /**
     * Starts tracking from an offset (nothing acknowledged yet).
     *
     * @param start the first offset that will be delivered
     * @param newEpoch the epoch acknowledgments must carry from now on
     */
    synchronized void reset(long start, int newEpoch) {
        next = start;
        epoch = newEpoch;
        unsettled = 0;
        if (aheadCount > 0 || ahead.length != INITIAL_WORDS) {
            ahead = new long[INITIAL_WORDS];
            aheadCount = 0;
        }
    }

    /**
     * Records an acknowledgment.
     *
     * @param offset the acknowledged offset
     * @param ackEpoch the epoch the message was delivered in
     * @return {@code true} if it was new; {@code false} if it was stale, a repeat, or below the committable offset
     */
    synchronized boolean ack(long offset, int ackEpoch) {
        if (ackEpoch != epoch) {
            return false;
        }
        if (unsettled > 0) {
            unsettled--;
        }
        if (offset < next) {
            return false;
        }
        if (offset == next) {
            next++;
            while (aheadCount > 0 && clearIfSet(next)) {
                aheadCount--;
                next++;
            }
            return true;
        }
        long distance = offset - next;
        if (distance >= 64L * ahead.length) {
            grow(distance);
        }
        int bit = bitIndex(offset);
        long mask = 1L << (bit & 63);
        if ((ahead[bit >>> 6] & mask) != 0) {
            return false;
        }
        ahead[bit >>> 6] |= mask;
        aheadCount++;
        return true;
    }

    /**
     * Counts messages handed out (to the application, or to the dead-letter path) in the current epoch.
     *
     * @param count how many
     * @param deliveryEpoch the epoch they were delivered in
     */
    synchronized void delivered(int count, int deliveryEpoch) {
        if (deliveryEpoch == epoch) {
            unsettled += count;
        }
    }

    /**
     * Settles a delivery without acknowledging it (it was given back for redelivery).
     *
     * @param deliveryEpoch the epoch it was delivered in
     */
    synchronized void settledWithoutAck(int deliveryEpoch) {
        if (deliveryEpoch == epoch && unsettled > 0) {
            unsettled--;
        }
    }

    /**
     * Deliveries of the current epoch neither acknowledged nor given back.
     *
     * @return the count
     */
    synchronized int unsettled() {
        return unsettled;
    }

    /**
     * The offset to commit: the first one not acknowledged (the next to read after a restart).
     *
     * @return the committable offset
     */
    synchronized long committable() {
        return next;
    }

    /**
     * How many acknowledgments are held above the committable offset, waiting for a gap to close.
     *
     * @return the count
     */
    synchronized int pendingAhead() {
        return aheadCount;
    }

    private int bitIndex(long offset) {
        return (int) (offset & (64L * ahead.length - 1));
    }

    private boolean clearIfSet(long offset) {
        int bit = bitIndex(offset);
        long mask = 1L << (bit & 63);
        if ((ahead[bit >>> 6] & mask) == 0) {
            return false;
        }
        ahead[bit >>> 6] &= ~mask;
        return true;
    }

    private void grow(long distance) {
        if (distance >= (1L << 36)) {
            throw new IllegalStateException("acknowledged offset is " + distance + " beyond the first unacknowledged");
        }
        int words = ahead.length;
        while (64L * words <= distance) {
            words <<= 1;
        }
        long[] old = ahead;
        long oldBits = 64L * old.length;
        ahead = new long[words];
        // Offsets held are in (next, next + oldBits); re-place each under the larger modulus.
        for (long o = next + 1; o < next + oldBits; o++) {
            int oldBit = (int) (o & (oldBits - 1));
            if ((old[oldBit >>> 6] & (1L << (oldBit & 63))) != 0) {
                int bit = bitIndex(o);
                ahead[bit >>> 6] |= 1L << (bit & 63);
            }
        }
    }
}

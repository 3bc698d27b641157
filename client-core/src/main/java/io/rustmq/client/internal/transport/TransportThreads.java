package io.rustmq.client.internal.transport;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The default thread factories of the transport and the pool: named daemon threads ({@code prefix-1},
 * {@code prefix-2}, …), used when the client is not given a {@link ThreadFactory} of its own. Stateless apart from
 * each factory's counter; the factories are called by whichever thread starts a pool's threads.
 */
public final class TransportThreads {
    private TransportThreads() {
    }

    /**
     * A factory of daemon threads named {@code prefix-N}.
     *
     * @param prefix the name prefix, e.g. {@code rustmq-quic}
     * @return the factory
     */
    public static ThreadFactory daemon(String prefix) {
        AtomicInteger ids = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + ids.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}

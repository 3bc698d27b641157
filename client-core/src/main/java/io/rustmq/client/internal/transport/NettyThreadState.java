package io.rustmq.client.internal.transport;

import io.netty.util.concurrent.FastThreadLocal;
import io.netty.util.internal.InternalThreadLocalMap;

import java.util.function.Supplier;

/**
 * Keeps Netty's per-thread state off the application's threads. Netty code run on a thread that is not one of its
 * own (building the QUIC TLS context when a client is created is one such place) leaves an
 * {@code InternalThreadLocalMap} in a JDK {@code ThreadLocal} of that thread; in a container that map pins the
 * application's class loader for as long as the (pooled) thread lives, so a redeployed application leaks.
 */
public final class NettyThreadState {
    private NettyThreadState() {
    }

    /**
     * Runs an action and, if the calling thread had no Netty thread state before, removes what the action left
     * (running Netty's removal callbacks, which free per-thread buffer caches).
     *
     * @param action what to run
     * @param <T> its result type
     * @return its result
     */
    public static <T> T clean(Supplier<T> action) {
        boolean had = InternalThreadLocalMap.getIfSet() != null;
        try {
            return action.get();
        } finally {
            if (!had) {
                FastThreadLocal.removeAll();
            }
        }
    }
}

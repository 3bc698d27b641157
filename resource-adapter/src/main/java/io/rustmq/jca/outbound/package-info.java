/** Outbound connections: the managed connection factory, managed connections and the application's handles. */
package io.rustmq.jca.outbound;

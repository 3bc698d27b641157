/** The RustMQ resource adapter and the client properties it shares with factories and activation specs. */
package io.rustmq.jca;

/** The broker's QUIC server on Netty's incubator QUIC codec; every Netty type of the broker stays in this package. */
package io.rustmq.broker.network;

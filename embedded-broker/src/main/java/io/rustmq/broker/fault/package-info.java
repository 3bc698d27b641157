/**
 * Fault injection for tests: {@link io.rustmq.broker.fault.FaultProxy}, a loopback UDP proxy that sits between QUIC
 * clients and a broker and drops, delays (with jitter), duplicates or reorders datagrams, or blackholes the path for
 * a while — seeded, so that a failing run can be replayed, and counting what it did.
 */
package io.rustmq.broker.fault;

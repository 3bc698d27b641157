/** Certificates for the broker and for tests: generation with BouncyCastle, PEM reading and writing, fingerprints. */
package io.rustmq.broker.tls;

/**
 * The wire format, byte for byte as the RustMQ broker speaks it (spec §3–§6): request and response records with
 * their bincode encoders and decoders ({@link io.rustmq.client.protocol.BincodeWriter},
 * {@link io.rustmq.client.protocol.BincodeReader}), frames ({@link io.rustmq.client.protocol.Frames}: a type byte and
 * a body, or {@code 0xFF} and error text), the decode-as-it-grows frame reader shared by the client and the embedded
 * broker ({@link io.rustmq.client.protocol.FrameAccumulator}), and the client's one size rule
 * ({@link io.rustmq.client.protocol.SizeLimits}). No Netty type and no I/O: the transport and the broker's network
 * layer move the bytes.
 *
 * <p><b>Not user API.</b> This is the wire codec that the client shares with the embedded broker (as Apache Kafka's
 * broker reuses its clients module's protocol classes); it is public only for that reason and may change in any
 * release. No type of the public client API refers to it (checked by {@code PublicApiTest}); applications use
 * {@link io.rustmq.client.RustMQClient} and the {@code producer}, {@code consumer} and {@code stream} packages.
 */
package io.rustmq.client.protocol;

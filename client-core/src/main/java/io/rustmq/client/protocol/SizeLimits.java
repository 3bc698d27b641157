package io.rustmq.client.protocol;

import io.rustmq.client.ConfigurationException;
import io.rustmq.client.MessageTooLargeException;

import java.util.List;

/**
 * The client's one size rule, checked here and nowhere else: <b>a message must fit in one request</b>.
 * <ol>
 *   <li>{@code maxMessageSize} (producer) bounds the message as the application gave it: its record (key, value,
 *       headers and 25 bytes of fields, as encoded, before compression; {@link #checkMessage});</li>
 *   <li>{@code maxRequestBytes} (client) bounds every request frame as sent ({@link #checkFrame}); for a message,
 *       the Produce frame that carries it alone: {@link #produceOverhead} bytes of type byte and Produce fields
 *       (37 + the topic's UTF-8 length, 8 more for custom acks) plus the record as sent, compressed and with the
 *       headers the producer adds ({@link #checkRecordInRequest}).</li>
 * </ol>
 * Both default to 1 MiB, so with defaults a message of up to 1 MiB minus the Produce fields and the producer's
 * headers is sent; a larger {@code maxMessageSize} only helps messages that compress into one request, so it is
 * accepted only with compression: an uncompressed producer whose {@code maxMessageSize}, set explicitly, exceeds
 * {@code maxRequestBytes} is refused when it is created ({@link #checkProducerLimits}). A refusal is
 * a {@link MessageTooLargeException} that names the limit that was hit and by how many bytes, thrown before
 * anything is sent. Stateless: called on the sending thread (the producer's caller, a connection's submit).
 */
public final class SizeLimits {
    private SizeLimits() {
    }

    /**
     * The bytes of a Produce frame that are not records: the type byte and the Produce fields.
     *
     * @param topic the topic
     * @param acks the acknowledgment level (a custom one takes 8 more bytes)
     * @return the overhead in bytes
     */
    public static int produceOverhead(String topic, AcknowledgmentLevel acks) {
        return 1 + ProduceRequest.encodedSize(topic, List.of(), acks);
    }

    /**
     * The largest record (as sent) that one Produce request for a topic can carry.
     *
     * @param maxRequestBytes the request frame limit
     * @param topic the topic
     * @param acks the acknowledgment level
     * @return the largest record in bytes (negative if even an empty request does not fit)
     */
    public static int maxRecordBytes(int maxRequestBytes, String topic, AcknowledgmentLevel acks) {
        return maxRequestBytes - produceOverhead(topic, acks);
    }

    /**
     * Rule 1: the message as the application gave it.
     *
     * @param messageBytes the message's record as encoded before compression, without headers the producer adds
     * @param maxMessageSize the producer's message limit
     * @throws MessageTooLargeException naming {@code maxMessageSize} and the excess
     */
    public static void checkMessage(long messageBytes, int maxMessageSize) {
        if (messageBytes > maxMessageSize) {
            throw new MessageTooLargeException("message", messageBytes, maxMessageSize, "maxMessageSize");
        }
    }

    /**
     * Rule 2 for a message: the Produce frame carrying its record alone.
     *
     * @param recordBytes the record as it will be sent (compressed, with the producer's headers)
     * @param maxRequestBytes the client's request frame limit
     * @param topic the topic
     * @param acks the acknowledgment level
     * @throws MessageTooLargeException naming {@code maxRequestBytes} and the excess
     */
    public static void checkRecordInRequest(long recordBytes, int maxRequestBytes, String topic,
                                            AcknowledgmentLevel acks) {
        long frame = recordBytes + produceOverhead(topic, acks);
        if (frame > maxRequestBytes) {
            throw new MessageTooLargeException("request frame for one message (" + recordBytes + " record bytes + "
                    + (frame - recordBytes) + " bytes of Produce fields)", frame, maxRequestBytes, "maxRequestBytes");
        }
    }

    /**
     * The rule at producer creation: without compression a message is sent as it is, so a {@code maxMessageSize}
     * larger than {@code maxRequestBytes} would accept messages that no request can carry. With compression a larger
     * {@code maxMessageSize} is legitimate (messages that compress into one request are sent). Equal limits (both
     * default to 1 MiB) are accepted: the Produce fields and the producer's headers (tens of bytes) then come out of
     * the request, as {@link #checkRecordInRequest} reports per message. A default {@code maxMessageSize} (not set by
     * the user) is not refused, so that a client configured for a smaller broker limit (the shipped broker's 8 KiB)
     * still creates default producers; each larger message is then refused by {@code maxRequestBytes}.
     *
     * @param maxMessageSize the producer's message limit, in bytes
     * @param explicitlySet whether the user set {@code maxMessageSize} (only then is it checked)
     * @param compressed whether the producer compresses (a codec other than {@code NONE})
     * @param maxRequestBytes the client's request frame limit, in bytes
     * @throws ConfigurationException naming {@code maxMessageSize}, {@code maxRequestBytes} and both values
     */
    public static void checkProducerLimits(int maxMessageSize, boolean explicitlySet, boolean compressed,
                                           int maxRequestBytes) {
        if (explicitlySet && !compressed && maxMessageSize > maxRequestBytes) {
            throw new ConfigurationException("maxMessageSize", maxMessageSize, "must not exceed the client's "
                    + "maxRequestBytes = " + maxRequestBytes + " (by " + ((long) maxMessageSize - maxRequestBytes)
                    + " bytes) without compression: an uncompressed message must fit in one request; raise "
                    + "maxRequestBytes (the broker must accept such frames), lower maxMessageSize, or compress");
        }
    }

    /**
     * The limit every request frame obeys (rule 2 for any request).
     *
     * @param frameBytes the whole frame, type byte included
     * @param maxRequestBytes the client's request frame limit
     * @throws MessageTooLargeException if the frame is larger
     */
    public static void checkFrame(long frameBytes, int maxRequestBytes) {
        if (frameBytes > maxRequestBytes) {
            throw new MessageTooLargeException("request frame", frameBytes, maxRequestBytes, "maxRequestBytes");
        }
    }
}

package io.rustmq.client.protocol;

import io.rustmq.client.BrokerErrorException;
import io.rustmq.client.ProtocolException;

import java.nio.charset.StandardCharsets;

/**
 * Request and response frames (spec §3): {@code [type:u8][bincode body]} for requests and success responses,
 * {@code [0xFF][UTF-8 text]} for error responses, and the empty response the broker sends for an unknown type byte.
 * No I/O: these methods turn values into frame bytes and back. Thread-safe (stateless).
 */
public final class Frames {
    private Frames() {
    }

    /**
     * Encodes a request frame: the type byte, then the body.
     *
     * @param request the request
     * @return the frame bytes
     */
    public static byte[] encodeRequest(Request request) {
        int exact = exactRequestSize(request);
        // a Produce frame is sized exactly: no second copy of every record
        return write(request, new BincodeWriter(exact > 0 ? exact : 128)).toByteArrayShared();
    }

    /**
     * The exact length of a request's frame when it is known without encoding it (a Produce request, whose records
     * dominate), so that it can be encoded straight into a buffer of that size.
     *
     * @param request the request
     * @return bytes, or -1 for a request whose size is not computed ahead
     */
    public static int exactRequestSize(Request request) {
        return request instanceof ProduceRequest p ? 1 + ProduceRequest.encodedSize(p.topic(), p.records(), p.acks())
                : -1;
    }

    /**
     * Encodes a request frame into {@code dst[offset, offset + length)}, such as a pooled buffer's backing array,
     * when it fits there.
     *
     * @param request the request
     * @param dst the array
     * @param offset where the frame starts
     * @param length the room there is, in bytes
     * @return the frame's length, or -1 if it did not fit (the window may then hold part of it: discard it)
     * @throws IndexOutOfBoundsException if the window is not inside {@code dst}
     */
    public static int encodeRequest(Request request, byte[] dst, int offset, int length) {
        BincodeWriter w = write(request, new BincodeWriter(dst, offset, length));
        return w.wroteInto(dst) ? w.size() : -1;
    }

    /** Writes a request frame, the type byte then the body, and returns the writer. */
    private static BincodeWriter write(Request request, BincodeWriter w) {
        w.u8(request.type().code());
        request.encode(w);
        return w;
    }

    /**
     * Encodes a success response frame: the echoed type byte, then the body.
     *
     * @param response the response
     * @return the frame bytes
     */
    public static byte[] encodeResponse(Response response) {
        // A Fetch response can be megabytes: size it exactly, so that it is written once with no growth or copy.
        BincodeWriter w = new BincodeWriter(response instanceof FetchResponse f ? 1 + f.encodedSize() : 64);
        w.u8(response.type().code());
        response.encode(w);
        return w.toByteArrayShared();
    }

    /**
     * Encodes an error frame: {@code 0xFF} followed by the UTF-8 text.
     *
     * @param text the text, conventionally starting with {@code "Error: "}
     * @return the frame bytes
     */
    public static byte[] encodeError(String text) {
        byte[] t = text.getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[t.length + 1];
        out[0] = (byte) RequestType.ERROR_MARKER;
        System.arraycopy(t, 0, out, 1, t.length);
        return out;
    }

    /**
     * Decodes a request body of a known type. Trailing bytes after a complete body are ignored, as the broker does.
     *
     * @param type the type from the frame's first byte
     * @param r a reader positioned after the type byte
     * @return the request
     * @throws IncompleteFrameException if the body is cut short
     * @throws ProtocolException if the body is malformed
     */
    public static Request decodeRequestBody(RequestType type, BincodeReader r) {
        switch (type) {
            case PRODUCE: return ProduceRequest.decode(r);
            case FETCH: return FetchRequest.decode(r);
            case METADATA: return MetadataRequest.decode(r);
            case FIND_COORDINATOR: return FindCoordinatorRequest.decode(r);
            case JOIN_GROUP: return JoinGroupRequest.decode(r);
            case CONSUMER_HEARTBEAT: return ConsumerHeartbeatRequest.decode(r);
            case COMMIT_OFFSET: return CommitOffsetRequest.decode(r);
            case FETCH_OFFSET: return FetchOffsetRequest.decode(r);
            case LEAVE_GROUP: return LeaveGroupRequest.decode(r);
            default: throw new IllegalStateException("unreachable: " + type);
        }
    }

    /**
     * Decodes a whole request frame.
     *
     * @param frame the frame bytes, type byte first
     * @return the request
     * @throws ProtocolException if the frame is empty, its type byte is not 1 to 9, or the body is malformed
     *     ({@link IncompleteFrameException} when cut short)
     */
    public static Request decodeRequest(byte[] frame) {
        if (frame.length == 0) {
            throw new IncompleteFrameException("empty request frame");
        }
        RequestType type = RequestType.fromCode(frame[0] & 0xFF);
        if (type == null) {
            throw new ProtocolException("unknown request type byte " + (frame[0] & 0xFF));
        }
        return decodeRequestBody(type, new BincodeReader(frame, 1, frame.length - 1));
    }

    /**
     * Decodes a response body of a known type. Trailing bytes after a complete body are ignored.
     *
     * @param type the request type the response answers
     * @param r a reader positioned after the type byte
     * @return the response
     * @throws IncompleteFrameException if the body is cut short
     * @throws ProtocolException if the body is malformed
     */
    public static Response decodeResponseBody(RequestType type, BincodeReader r) {
        switch (type) {
            case PRODUCE: return ProduceResponse.decode(r);
            case FETCH: return FetchResponse.decode(r);
            case METADATA: return MetadataResponse.decode(r);
            case FIND_COORDINATOR: return FindCoordinatorResponse.decode(r);
            case JOIN_GROUP: return JoinGroupResponse.decode(r);
            case CONSUMER_HEARTBEAT: return ConsumerHeartbeatResponse.decode(r);
            case COMMIT_OFFSET: return CommitOffsetResponse.decode(r);
            case FETCH_OFFSET: return FetchOffsetResponse.decode(r);
            case LEAVE_GROUP: return LeaveGroupResponse.decode(r);
            default: throw new IllegalStateException("unreachable: " + type);
        }
    }

    /**
     * Decodes a complete response frame (everything the broker sent before end of stream).
     *
     * @param expected the type of the request this answers
     * @param frame the bytes
     * @param offset where the frame starts
     * @param length the frame's length
     * @return the response
     * @throws BrokerErrorException if the frame is an error frame ({@code 0xFF} + text)
     * @throws ProtocolException if the frame is empty (the broker's answer to an unknown type), has another type
     *     byte, or its body is malformed or cut short
     */
    public static Response decodeResponse(RequestType expected, byte[] frame, int offset, int length) {
        if (length == 0) {
            throw new ProtocolException("empty response to " + expected
                    + " request: the broker finished the stream without sending a byte (the shipped broker does so"
                    + " for request types it does not know; a broker that fails while handling a request may too)");
        }
        int first = frame[offset] & 0xFF;
        if (first == RequestType.ERROR_MARKER) {
            throw new BrokerErrorException(decodeErrorText(frame, offset + 1, length - 1));
        }
        checkResponseType(expected, first);
        try {
            return decodeResponseBody(expected, new BincodeReader(frame, offset + 1, length - 1));
        } catch (IncompleteFrameException e) {
            throw new ProtocolException("truncated " + expected + " response of " + length + " bytes: "
                    + e.getMessage(), e);
        }
    }

    /**
     * Decodes a complete response frame.
     *
     * @param expected the type of the request this answers
     * @param frame the whole frame
     * @return the response
     * @throws BrokerErrorException for an error frame
     * @throws ProtocolException for an empty, mistyped, truncated or malformed frame
     */
    public static Response decodeResponse(RequestType expected, byte[] frame) {
        return decodeResponse(expected, frame, 0, frame.length);
    }

    /**
     * Tries to decode a response from the bytes received so far, before end of stream. Bincode bodies are
     * self-delimiting, so a success response can be completed as soon as a whole value has arrived; an error frame
     * has no end marker and completes only at end of stream.
     *
     * @param expected the type of the request this answers
     * @param frame the bytes received so far
     * @param length how many bytes of {@code frame} are valid
     * @return the response, or {@code null} if more bytes are needed (or the frame is an error frame)
     * @throws ProtocolException if the bytes can never become a valid response
     */
    public static Response tryDecodeResponse(RequestType expected, byte[] frame, int length) {
        if (length == 0 || (frame[0] & 0xFF) == RequestType.ERROR_MARKER) {
            return null;
        }
        checkResponseType(expected, frame[0] & 0xFF);
        try {
            return decodeResponseBody(expected, new BincodeReader(frame, 1, length - 1));
        } catch (IncompleteFrameException e) {
            // Not all of it has arrived yet: the usual case while a large response grows. The exception is
            // stackless; wrapping it, as decodeResponse does for a frame that has ended, would fill a stack trace
            // and build a message on every attempt.
            return null;
        }
    }

    private static void checkResponseType(RequestType expected, int first) {
        if (first != expected.code()) {
            throw new ProtocolException("response type byte " + first + " does not match request type "
                    + expected.code() + " (" + expected + ")");
        }
    }

    private static String decodeErrorText(byte[] b, int off, int len) {
        // The text is for people; replace invalid UTF-8 rather than lose the whole message.
        return new String(b, off, len, StandardCharsets.UTF_8);
    }

    /**
     * The UTF-8 byte length of a string without encoding it.
     *
     * @param s the string
     * @return its length in UTF-8 bytes
     */
    public static int utf8Length(String s) {
        int n = s.length();
        int bytes = n;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c >= 0x80) {
                if (c < 0x800) {
                    bytes += 1;
                } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                    bytes += 2;
                    i++;
                } else if (!Character.isSurrogate(c)) {
                    bytes += 2;
                }
                // a lone surrogate is encoded by String.getBytes as '?': one byte, already counted
            }
        }
        return bytes;
    }
}

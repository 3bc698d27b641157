package io.rustmq.broker.network;

import io.rustmq.client.protocol.Request;

import java.util.concurrent.CompletableFuture;

/**
 * Handles one decoded request and produces the response frame. Called on the server's event loop, possibly for many
 * streams in turn, so it must not block for long (short per-partition locks are fine). Must be thread-safe if one
 * processor serves several servers.
 */
@FunctionalInterface
public interface RequestProcessor {
    /**
     * Handles a request.
     *
     * @param request the decoded request
     * @return the complete response frame to send with FIN (a success frame {@code [type][body]} or an error frame
     *     {@code [0xFF][text]}), or {@code null} to send nothing and reset the stream (a test hook)
     */
    byte[] process(Request request);

    /**
     * Handles a request whose answer may come later (test hooks that delay or withhold answers); by default
     * {@link #process} at once. The stream is answered when the future completes, on the stream's event loop.
     *
     * @param request the decoded request
     * @return the response frame as {@link #process} returns it; a future that never completes sends nothing
     */
    default CompletableFuture<byte[]> processAsync(Request request) {
        return CompletableFuture.completedFuture(process(request));
    }
}

package io.rustmq.client;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;

/**
 * An ordered, immutable group of messages, with helpers to cut it into smaller batches by count or by wire size
 * (the sum of {@link Message#encodedSize()}). Send one with
 * {@link io.rustmq.client.producer.Producer#sendBatch(MessageBatch)}.
 *
 * <pre>{@code
 * for (MessageBatch part : MessageBatch.of(messages).splitBySize(64 * 1024)) {
 *     producer.sendBatch(part);
 * }
 * }</pre>
 */
public final class MessageBatch implements Iterable<Message> {
    private static final MessageBatch EMPTY = new MessageBatch(List.of(), 0);

    private final List<Message> messages;
    private final long encodedSize;

    private MessageBatch(List<Message> messages, long encodedSize) {
        this.messages = messages;
        this.encodedSize = encodedSize;
    }

    /**
     * A batch of these messages, in order.
     *
     * @param messages the messages; copied, none may be null
     * @return the batch
     * @throws NullPointerException if the list or a message is null
     */
    public static MessageBatch of(List<Message> messages) {
        List<Message> copy = List.copyOf(messages);
        return copy.isEmpty() ? EMPTY : new MessageBatch(copy, sizeOf(copy));
    }

    /**
     * A batch of these messages, in order.
     *
     * @param messages the messages, none null
     * @return the batch
     */
    public static MessageBatch of(Message... messages) {
        return of(List.of(messages));
    }

    /**
     * An empty batch.
     *
     * @return the empty batch
     */
    public static MessageBatch empty() {
        return EMPTY;
    }

    private static long sizeOf(List<Message> messages) {
        long size = 0;
        for (Message m : messages) {
            size += m.encodedSize();
        }
        return size;
    }

    /**
     * The messages.
     *
     * @return an immutable list, in order
     */
    public List<Message> messages() {
        return messages;
    }

    /**
     * The number of messages.
     *
     * @return the count
     */
    public int size() {
        return messages.size();
    }

    /**
     * Whether there are no messages.
     *
     * @return {@code true} if empty
     */
    public boolean isEmpty() {
        return messages.isEmpty();
    }

    /**
     * The summed wire size of the messages ({@link Message#encodedSize()}).
     *
     * @return bytes
     */
    public long encodedSize() {
        return encodedSize;
    }

    /**
     * Cuts this batch into consecutive batches of at most {@code maxBytes} encoded bytes each, keeping the order.
     * A message that is larger than {@code maxBytes} by itself gets a batch of its own (that batch is the only one
     * over the limit).
     *
     * @param maxBytes the most bytes per batch, at least 1
     * @return the batches, in order; empty for an empty batch
     * @throws IllegalArgumentException if {@code maxBytes} is below 1
     */
    public List<MessageBatch> splitBySize(long maxBytes) {
        if (maxBytes < 1) {
            throw new IllegalArgumentException("maxBytes must be at least 1, got " + maxBytes);
        }
        List<MessageBatch> out = new ArrayList<>();
        int start = 0;
        long bytes = 0;
        for (int i = 0; i < messages.size(); i++) {
            int size = messages.get(i).encodedSize();
            if (i > start && bytes + size > maxBytes) {
                out.add(new MessageBatch(messages.subList(start, i), bytes));
                start = i;
                bytes = 0;
            }
            bytes += size;
        }
        if (start < messages.size()) {
            out.add(new MessageBatch(messages.subList(start, messages.size()), bytes));
        }
        return out;
    }

    /**
     * Cuts this batch into consecutive batches of at most {@code maxCount} messages each, keeping the order.
     *
     * @param maxCount the most messages per batch, at least 1
     * @return the batches, in order; empty for an empty batch
     * @throws IllegalArgumentException if {@code maxCount} is below 1
     */
    public List<MessageBatch> splitByCount(int maxCount) {
        if (maxCount < 1) {
            throw new IllegalArgumentException("maxCount must be at least 1, got " + maxCount);
        }
        List<MessageBatch> out = new ArrayList<>((messages.size() + maxCount - 1) / maxCount);
        for (int start = 0; start < messages.size(); start += maxCount) {
            List<Message> part = messages.subList(start, Math.min(messages.size(), start + maxCount));
            out.add(new MessageBatch(part, sizeOf(part)));
        }
        return out;
    }

    @Override
    public Iterator<Message> iterator() {
        return messages.iterator();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MessageBatch b && messages.equals(b.messages);
    }

    @Override
    public int hashCode() {
        return Objects.hash(messages);
    }

    @Override
    public String toString() {
        return "MessageBatch{" + messages.size() + " messages, " + encodedSize + " bytes}";
    }
}

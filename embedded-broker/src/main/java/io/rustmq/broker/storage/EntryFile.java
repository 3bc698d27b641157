package io.rustmq.broker.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * An append-only file of entries, each framed as {@code [u32 length][u32 CRC32C of the payload][payload]} (little
 * endian). Reading stops at the first entry that is cut short or fails its checksum (a torn write), so only whole
 * entries are ever used; {@link #truncate} then cuts the file there. Not thread-safe: callers serialise writes.
 */
final class EntryFile implements AutoCloseable {
    /** The bytes of an entry's frame before its payload. */
    static final int HEADER = 8;
    /** The largest payload accepted when reading; a longer length field means a damaged entry. */
    static final int MAX_PAYLOAD = 1 << 30;

    private static final System.Logger LOG = System.getLogger(EntryFile.class.getName());

    private final Path path;
    private final FileChannel channel;
    private long size;

    private EntryFile(Path path, FileChannel channel, long size) {
        this.path = path;
        this.channel = channel;
        this.size = size;
    }

    /**
     * An entry read back.
     *
     * @param position where its frame starts in the file
     * @param payload its payload
     */
    record Entry(long position, byte[] payload) {
    }

    /**
     * The whole entries of a file and where they end.
     *
     * @param entries the entries in file order
     * @param validLength the byte length of those entries; less than the file length if its end is torn
     * @param fileLength the file's length
     */
    record Contents(List<Entry> entries, long validLength, long fileLength) {
        boolean torn() {
            return validLength < fileLength;
        }
    }

    /**
     * Reads every whole entry from the start of a file, stopping at the first cut-short or corrupt one.
     *
     * @param file the file; a missing file reads as empty
     * @return the entries
     * @throws IOException if the file cannot be read
     */
    static Contents read(Path file) throws IOException {
        if (!Files.exists(file)) {
            return new Contents(List.of(), 0, 0);
        }
        byte[] all = Files.readAllBytes(file);
        ByteBuffer b = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN);
        List<Entry> entries = new ArrayList<>();
        int pos = 0;
        CRC32C crc = new CRC32C();
        while (all.length - pos >= HEADER) {
            int length = b.getInt(pos);
            int expected = b.getInt(pos + 4);
            if (length < 1 || length > MAX_PAYLOAD || length > all.length - pos - HEADER) {
                break;
            }
            crc.reset();
            crc.update(all, pos + HEADER, length);
            if ((int) crc.getValue() != expected) {
                break;
            }
            byte[] payload = new byte[length];
            System.arraycopy(all, pos + HEADER, payload, 0, length);
            entries.add(new Entry(pos, payload));
            pos += HEADER + length;
        }
        return new Contents(entries, pos, all.length);
    }

    /**
     * Cuts a file to {@code length} bytes, logging why.
     *
     * @param file the file
     * @param length the new length
     * @param why the reason, for the warning
     * @throws IOException if the file cannot be written
     */
    static void truncate(Path file, long length, String why) throws IOException {
        long before = Files.size(file);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.truncate(length);
            ch.force(true);
        }
        LOG.log(System.Logger.Level.WARNING, "{0}: {1}; truncated from {2} to {3} bytes (the last whole entry)",
                file, why, before, length);
    }

    /**
     * Opens a file for appending, creating it if needed.
     *
     * @param file the file
     * @return the open file, positioned at its end
     * @throws IOException if it cannot be opened
     */
    static EntryFile openForAppend(Path file) throws IOException {
        FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND);
        return new EntryFile(file, ch, ch.size());
    }

    /**
     * Appends one entry with a single write.
     *
     * @param payload the payload, not empty
     * @throws UncheckedIOException if the write fails
     */
    void append(byte[] payload) {
        ByteBuffer frame = ByteBuffer.allocate(HEADER + payload.length).order(ByteOrder.LITTLE_ENDIAN);
        CRC32C crc = new CRC32C();
        crc.update(payload);
        frame.putInt(payload.length).putInt((int) crc.getValue()).put(payload).flip();
        try {
            while (frame.hasRemaining()) {
                channel.write(frame);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + path + ": " + e.getMessage(), e);
        }
        size += HEADER + payload.length;
    }

    /**
     * The file's length in bytes.
     *
     * @return bytes written so far, including what was there when opened
     */
    long size() {
        return size;
    }

    /**
     * The file.
     *
     * @return its path
     */
    Path path() {
        return path;
    }

    /** Forces the data to the device and closes the file; failures are logged. */
    @Override
    public void close() {
        try {
            channel.force(false);
            channel.close();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot close " + path, e);
        }
    }
}

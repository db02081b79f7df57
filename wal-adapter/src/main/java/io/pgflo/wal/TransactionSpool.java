package io.pgflo.wal;

import io.pgflo.sink.api.Lsn;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The raw pgoutput messages of one streamed transaction, kept in WAL order until the transaction ends: in memory up to
 * a limit, then in a temporary file, removed from its directory as soon as it is open (or, where the system does not
 * allow that, by {@link #close()}). What the server streams before a commit is not
 * known to commit, so it is kept here to be delivered then (or dropped, at a rollback).
 *
 * <p>A rolled-back subtransaction is cut off where its first message starts. That is exact: the server sends a
 * subtransaction's rollback as soon as it decodes it, so everything after that point belongs to the subtransaction or
 * to ones begun inside it, which rolled back with it. PostgreSQL's own subscriber does the same with its stream files.
 *
 * <p>Each entry is the message's WAL position (8 bytes), its length (4) and its bytes. Not thread-safe.
 */
final class TransactionSpool implements AutoCloseable {
    private static final int FILE_BUFFER = 1 << 16;
    private static final int HEADER = Long.BYTES + Integer.BYTES;

    /** What a replay hands over: the message's WAL position and its bytes (position 0, valid during the call). */
    @FunctionalInterface
    interface Entry {
        void accept(Lsn lsn, ByteBuffer message);
    }

    private final long xid;
    private final Path directory;
    private final int memoryLimit;
    /** Where each subtransaction's first message starts: what a rollback of it cuts back to. */
    private final Map<Long, Mark> subtransactionStarts = new HashMap<>();
    private byte[] memory = new byte[4096];
    /** Bytes kept: in {@link #memory} until the file exists, then in the file and {@link #pending}. */
    private long size;
    private long messages;
    private Path path;
    private FileChannel file;
    private ByteBuffer pending;
    private boolean unlinked;

    /**
     * @param xid the streamed transaction, for messages and the file's name
     * @param directory where the file goes once {@code memoryLimit} bytes are kept
     */
    TransactionSpool(long xid, Path directory, int memoryLimit) {
        this.xid = xid;
        this.directory = directory;
        this.memoryLimit = memoryLimit;
    }

    /**
     * Keeps the message (its remaining bytes; the buffer's position is not moved).
     *
     * @param messageXid the (sub)transaction the message names: the first message of a subtransaction marks where a
     *     rollback of it cuts
     */
    void append(long messageXid, Lsn lsn, ByteBuffer message) {
        if (messageXid != xid && !subtransactionStarts.containsKey(messageXid)) {
            subtransactionStarts.put(messageXid, new Mark(size, messages));
        }
        int length = message.remaining();
        if (file == null && size + HEADER + length > memoryLimit) {
            moveToFile();
        }
        if (file == null) {
            ensureMemory((int) size + HEADER + length);
            ByteBuffer target = ByteBuffer.wrap(memory, (int) size, HEADER + length);
            target.putLong(lsn.value()).putInt(length).put(message.duplicate());
        } else {
            if (pending.remaining() < HEADER + length) {
                flushPending();
            }
            pending.putLong(lsn.value()).putInt(length);
            if (length <= pending.remaining()) {
                pending.put(message.duplicate());
            } else {
                // Larger than the buffer: written as it is, after the header.
                flushPending();
                write(message.duplicate());
            }
        }
        size += HEADER + length;
        messages++;
    }

    /**
     * Drops the messages of subtransaction {@code subxid} and of every one begun after it; returns false, dropping
     * nothing, if it sent none.
     */
    boolean abortSubtransaction(long subxid) {
        Mark start = subtransactionStarts.get(subxid);
        if (start == null) {
            return false;
        }
        subtransactionStarts.values().removeIf(mark -> mark.offset() >= start.offset());
        if (file != null) {
            flushPending();
            try {
                file.truncate(start.offset());
                file.position(start.offset());
            } catch (IOException e) {
                throw failure("cannot cut the spool file " + path + " of transaction " + xid, e);
            }
        }
        size = start.offset();
        messages = start.messages();
        return true;
    }

    /** Hands over every message kept, in order. */
    void replay(Entry entry) {
        if (file == null) {
            ByteBuffer all = ByteBuffer.wrap(memory, 0, (int) size);
            while (all.hasRemaining()) {
                Lsn lsn = Lsn.of(all.getLong());
                int length = all.getInt();
                ByteBuffer message = all.slice();
                message.limit(length);
                all.position(all.position() + length);
                entry.accept(lsn, message);
            }
            return;
        }
        flushPending();
        read(entry);
    }

    /** Messages kept. */
    long messages() {
        return messages;
    }

    /** Deletes the file, if there is one. */
    @Override
    public void close() {
        memory = null;
        if (file != null) {
            try {
                file.close();
                if (!unlinked) {
                    Files.deleteIfExists(path);
                }
            } catch (IOException e) {
                throw failure("cannot delete the spool file " + path + " of transaction " + xid, e);
            } finally {
                file = null;
            }
        }
    }

    private void read(Entry entry) {
        try {
            file.position(0);
            // Not closed: closing the stream would close the channel, which stays open for more messages.
            InputStream channel = Channels.newInputStream(file);
            DataInputStream in = new DataInputStream(new BufferedInputStream(channel, FILE_BUFFER));
            long offset = 0;
            byte[] bytes = new byte[256];
            while (offset < size) {
                Lsn lsn = Lsn.of(in.readLong());
                int length = in.readInt();
                if (bytes.length < length) {
                    bytes = new byte[Math.max(length, bytes.length * 2)];
                }
                in.readFully(bytes, 0, length);
                entry.accept(lsn, ByteBuffer.wrap(bytes, 0, length).slice());
                offset += HEADER + length;
            }
            file.position(size);
        } catch (EOFException e) {
            throw new PgOutputException("the spool file " + path + " of transaction " + xid + " ends early", e);
        } catch (IOException e) {
            throw failure("cannot read the spool file " + path + " of transaction " + xid, e);
        }
    }

    private void moveToFile() {
        try {
            path = Files.createTempFile(directory, "pg_flo-xid-" + xid + "-", ".spool");
            try {
                file = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
            } catch (IOException | RuntimeException e) {
                Files.deleteIfExists(path); // made, but not opened: close() would not know of it
                throw e;
            }
            try {
                // Unlinked at once where the system allows it (the open channel keeps the data), so that a process
                // that is killed leaves no file behind; elsewhere close() deletes it.
                Files.delete(path);
                unlinked = true;
            } catch (IOException e) {
                unlinked = false;
            }
            pending = ByteBuffer.allocate(FILE_BUFFER);
            write(ByteBuffer.wrap(memory, 0, (int) size));
            memory = null;
        } catch (IOException e) {
            throw failure("cannot spool transaction " + xid + " to a file in " + directory
                    + " (it is larger than the memory it may use)", e);
        }
    }

    private void flushPending() {
        pending.flip();
        write(pending);
        pending.clear();
    }

    private void write(ByteBuffer bytes) {
        try {
            while (bytes.hasRemaining()) {
                file.write(bytes);
            }
        } catch (IOException e) {
            throw failure("cannot write the spool file " + path + " of transaction " + xid, e);
        }
    }

    private void ensureMemory(int needed) {
        if (needed > memory.length) {
            memory = Arrays.copyOf(memory, Math.max(needed, Math.min(memory.length * 2, memoryLimit)));
        }
    }

    /** A position in the spool: its byte offset, and the messages before it. */
    private record Mark(long offset, long messages) {}

    private static UncheckedIOException failure(String message, IOException e) {
        return new UncheckedIOException(message + ": " + e.getMessage(), e);
    }
}

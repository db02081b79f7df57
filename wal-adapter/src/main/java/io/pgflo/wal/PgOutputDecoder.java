package io.pgflo.wal;

import io.pgflo.sink.api.Lsn;
import io.pgflo.wal.PgOutputMessage.Begin;
import io.pgflo.wal.PgOutputMessage.Commit;
import io.pgflo.wal.PgOutputMessage.Delete;
import io.pgflo.wal.PgOutputMessage.Insert;
import io.pgflo.wal.PgOutputMessage.LogicalMessage;
import io.pgflo.wal.PgOutputMessage.Origin;
import io.pgflo.wal.PgOutputMessage.Relation;
import io.pgflo.wal.PgOutputMessage.RelationColumn;
import io.pgflo.wal.PgOutputMessage.StreamAbort;
import io.pgflo.wal.PgOutputMessage.StreamCommit;
import io.pgflo.wal.PgOutputMessage.StreamStart;
import io.pgflo.wal.PgOutputMessage.StreamStop;
import io.pgflo.wal.PgOutputMessage.Streamed;
import io.pgflo.wal.PgOutputMessage.Truncate;
import io.pgflo.wal.PgOutputMessage.Type;
import io.pgflo.wal.PgOutputMessage.Update;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses pgoutput messages, protocol version 1 and 2 (streaming of in-progress transactions). Stateless and
 * thread-safe: whether a message lies within a streamed transaction's block, and so starts with an xid, is the caller's
 * to say.
 *
 * <p>Strings are decoded as UTF-8: the source database must use the UTF8 encoding, which the source checks at start.
 */
public final class PgOutputDecoder {
    /** Seconds from the Unix epoch to PostgreSQL's epoch, 2000-01-01 UTC. */
    private static final long PG_EPOCH_SECONDS = 946_684_800L;

    /** Decodes one message outside a streamed block; the buffer's position is left after it. */
    public PgOutputMessage decode(ByteBuffer buffer) {
        return decode(buffer, false);
    }

    /**
     * Decodes one message; the buffer's position is left after it.
     *
     * @param inStreamBlock whether the message came between a Stream Start and its Stream Stop: a Relation, Type,
     *     change or logical message there carries an xid, and comes back as a {@link Streamed} (an Origin does not)
     */
    public PgOutputMessage decode(ByteBuffer buffer, boolean inStreamBlock) {
        if (!buffer.hasRemaining()) {
            throw new PgOutputException("empty pgoutput message");
        }
        byte tag = buffer.get();
        try {
            // Origin, sent after a block's Stream Start for a transaction with a replication origin, carries none.
            if (inStreamBlock && carriesXid(tag)) {
                long xid = Integer.toUnsignedLong(buffer.getInt());
                return new Streamed(xid, message(tag, buffer));
            }
            return message(tag, buffer);
        } catch (BufferUnderflowException e) {
            throw new PgOutputException("truncated pgoutput message of type '" + (char) tag + "'", e);
        }
    }

    private static boolean carriesXid(byte tag) {
        return switch (tag) {
            case 'R', 'Y', 'I', 'U', 'D', 'T', 'M' -> true;
            default -> false;
        };
    }

    private static PgOutputMessage message(byte tag, ByteBuffer buffer) {
        return switch (tag) {
            case 'B' -> new Begin(lsn(buffer), timestamp(buffer), Integer.toUnsignedLong(buffer.getInt()));
            case 'C' -> new Commit(buffer.get(), lsn(buffer), lsn(buffer), timestamp(buffer));
            case 'O' -> new Origin(lsn(buffer), cString(buffer));
            case 'R' -> relation(buffer);
            case 'Y' -> new Type(buffer.getInt(), cString(buffer), cString(buffer));
            case 'I' -> insert(buffer);
            case 'U' -> update(buffer);
            case 'D' -> delete(buffer);
            case 'T' -> truncate(buffer);
            case 'M' -> logicalMessage(buffer);
            case 'S' -> new StreamStart(Integer.toUnsignedLong(buffer.getInt()), buffer.get() == 1);
            case 'E' -> new StreamStop();
            case 'c' -> new StreamCommit(Integer.toUnsignedLong(buffer.getInt()), buffer.get(), lsn(buffer), lsn(buffer),
                    timestamp(buffer));
            case 'A' -> new StreamAbort(Integer.toUnsignedLong(buffer.getInt()), Integer.toUnsignedLong(buffer.getInt()));
            default -> throw new PgOutputException("unknown pgoutput message type '" + (char) tag + "' (0x"
                    + Integer.toHexString(tag & 0xFF) + "); is the slot's plugin pgoutput with proto_version 1 or 2?");
        };
    }

    private static Relation relation(ByteBuffer buffer) {
        int oid = buffer.getInt();
        String namespace = cString(buffer);
        String name = cString(buffer);
        char replicaIdentity = (char) buffer.get();
        // Each column: flags, a name of at least its terminator, type oid and modifier.
        int count = count(buffer, buffer.getShort(), 10, "column count");
        List<RelationColumn> columns = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            boolean key = (buffer.get() & 1) != 0;
            columns.add(new RelationColumn(key, cString(buffer), buffer.getInt(), buffer.getInt()));
        }
        return new Relation(oid, namespace, name, replicaIdentity, columns);
    }

    private static Insert insert(ByteBuffer buffer) {
        int relation = buffer.getInt();
        expect(buffer, 'N', "INSERT");
        return new Insert(relation, tuple(buffer));
    }

    private static Update update(ByteBuffer buffer) {
        int relation = buffer.getInt();
        byte marker = buffer.get();
        char oldKind = 0;
        TupleData oldTuple = null;
        if (marker == 'K' || marker == 'O') {
            oldKind = (char) marker;
            oldTuple = tuple(buffer);
            marker = buffer.get();
        }
        if (marker != 'N') {
            throw new PgOutputException("UPDATE message without new tuple (found '" + (char) marker + "')");
        }
        return new Update(relation, oldKind, oldTuple, tuple(buffer));
    }

    private static Delete delete(ByteBuffer buffer) {
        int relation = buffer.getInt();
        byte marker = buffer.get();
        if (marker != 'K' && marker != 'O') {
            throw new PgOutputException("DELETE message without old key or row (found '" + (char) marker + "')");
        }
        return new Delete(relation, (char) marker, tuple(buffer));
    }

    private static Truncate truncate(ByteBuffer buffer) {
        int count = count(buffer, buffer.getInt(), Integer.BYTES, "relation count");
        byte options = buffer.get();
        int[] relations = new int[count];
        for (int i = 0; i < count; i++) {
            relations[i] = buffer.getInt();
        }
        return new Truncate((options & 1) != 0, (options & 2) != 0, relations);
    }

    private static LogicalMessage logicalMessage(ByteBuffer buffer) {
        boolean transactional = (buffer.get() & 1) != 0;
        Lsn lsn = lsn(buffer);
        String prefix = cString(buffer);
        return new LogicalMessage(transactional, lsn, prefix, bytes(buffer, buffer.getInt()));
    }

    private static TupleData tuple(ByteBuffer buffer) {
        int count = count(buffer, buffer.getShort(), 1, "column count");
        byte[] kinds = new byte[count];
        byte[][] values = new byte[count][];
        long valueBytes = 0;
        for (int i = 0; i < count; i++) {
            byte kind = buffer.get();
            kinds[i] = kind;
            switch (kind) {
                case TupleData.NULL, TupleData.UNCHANGED_TOAST -> { }
                case TupleData.TEXT -> {
                    values[i] = bytes(buffer, buffer.getInt());
                    valueBytes += values[i].length;
                }
                case 'b' -> throw new PgOutputException("binary tuple data is not supported; do not set the 'binary' option");
                default -> throw new PgOutputException("unknown tuple data kind '" + (char) kind + "' in column " + i);
            }
        }
        return new TupleData(kinds, values, valueBytes);
    }

    private static void expect(ByteBuffer buffer, char marker, String message) {
        byte found = buffer.get();
        if (found != marker) {
            throw new PgOutputException(message + " message: expected '" + marker + "', found '" + (char) found + "'");
        }
    }

    private static Lsn lsn(ByteBuffer buffer) {
        return Lsn.of(buffer.getLong());
    }

    private static Instant timestamp(ByteBuffer buffer) {
        long micros = buffer.getLong();
        return Instant.ofEpochSecond(PG_EPOCH_SECONDS + Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1_000L);
    }

    private static String cString(ByteBuffer buffer) {
        int start = buffer.position();
        int end = start;
        int limit = buffer.limit();
        while (end < limit && buffer.get(end) != 0) {
            end++;
        }
        if (end == limit) {
            throw new PgOutputException("unterminated string in pgoutput message");
        }
        String value = utf8(buffer, end - start);
        buffer.get();
        return value;
    }

    /**
     * A count read from the message, of items of at least {@code bytesEach} bytes, checked against what is left of it
     * before anything that size is allocated: a corrupt length must not become a 2 GB array.
     */
    private static int count(ByteBuffer buffer, int count, int bytesEach, String what) {
        if (count < 0 || (long) count * bytesEach > buffer.remaining()) {
            throw corrupt(buffer, count, what);
        }
        return count;
    }

    /** Apart from {@link #count}, which runs for every value, so that the JIT inlines that one. */
    private static PgOutputException corrupt(ByteBuffer buffer, int count, String what) {
        return new PgOutputException("corrupt pgoutput message: " + what + " " + count + " with " + buffer.remaining()
                + " bytes left");
    }

    private static String utf8(ByteBuffer buffer, int length) {
        String value;
        if (buffer.hasArray()) {
            value = new String(buffer.array(), buffer.arrayOffset() + buffer.position(), length, StandardCharsets.UTF_8);
            buffer.position(buffer.position() + length);
        } else {
            value = new String(bytes(buffer, length), StandardCharsets.UTF_8);
        }
        return value;
    }

    /** The next {@code length} bytes, copied: the buffer is the replication stream's, reused for the next message. */
    private static byte[] bytes(ByteBuffer buffer, int length) {
        byte[] bytes = new byte[count(buffer, length, 1, "value length")];
        buffer.get(bytes);
        return bytes;
    }
}

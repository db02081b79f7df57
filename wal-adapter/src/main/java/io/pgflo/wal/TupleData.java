package io.pgflo.wal;

import java.nio.charset.StandardCharsets;

/**
 * A row as pgoutput sends it: per column a kind and, for text values, PostgreSQL's text form as the wire's UTF-8 bytes
 * (a String is made only where one is needed; see {@link io.pgflo.sink.api.ColumnValue}).
 *
 * <p>Arrays rather than records per column, because this is allocated once per row on the hot path.
 */
public final class TupleData {
    public static final byte NULL = 'n';
    public static final byte UNCHANGED_TOAST = 'u';
    public static final byte TEXT = 't';

    private final byte[] kinds;
    private final byte[][] values;
    private final long valueBytes;

    /** @param valueBytes the lengths of {@code values} summed, which the decoder counts as it reads them */
    TupleData(byte[] kinds, byte[][] values, long valueBytes) {
        this.kinds = kinds;
        this.values = values;
        this.valueBytes = valueBytes;
    }

    public int size() {
        return kinds.length;
    }

    /** The UTF-8 lengths of the text values, summed. */
    long valueBytes() {
        return valueBytes;
    }

    public byte kind(int column) {
        return kinds[column];
    }

    /** The text of a TEXT column, else null. */
    public String text(int column) {
        byte[] value = values[column];
        return value == null ? null : new String(value, StandardCharsets.UTF_8);
    }

    /** The UTF-8 bytes of a TEXT column's text, else null; not a copy. */
    public byte[] utf8(int column) {
        return values[column];
    }
}

package io.pgflo.wal;

/**
 * A row as pgoutput sends it: per column a kind and, for text values, PostgreSQL's text form.
 *
 * <p>Arrays rather than records per column, because this is allocated once per row on the hot path.
 */
public final class TupleData {
    public static final byte NULL = 'n';
    public static final byte UNCHANGED_TOAST = 'u';
    public static final byte TEXT = 't';

    private final byte[] kinds;
    private final String[] texts;

    TupleData(byte[] kinds, String[] texts) {
        this.kinds = kinds;
        this.texts = texts;
    }

    public int size() {
        return kinds.length;
    }

    public byte kind(int column) {
        return kinds[column];
    }

    /** The text of a TEXT column, else null. */
    public String text(int column) {
        return texts[column];
    }
}

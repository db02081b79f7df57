package io.pgflo.sink.api;

import static java.util.Objects.requireNonNull;

/**
 * A place in the change stream: a transaction's commit LSN, and how far into that transaction. What a sink records
 * as durable and resumes from.
 *
 * <p>{@link #afterTransaction(Lsn)} is a whole transaction's end: everything up to that commit is done. A position
 * inside a transaction ({@link #of(Lsn, int)}: the change with that ordinal is done, and those before it) lets a sink
 * that delivered part of a large transaction say exactly how much.
 *
 * @param lsn the commit LSN of the transaction the position is in, or at the end of
 * @param ordinal the last change done within that transaction, or {@link #WHOLE_TRANSACTION}
 */
public record Position(Lsn lsn, int ordinal) implements Comparable<Position> {
    /** The ordinal of a position after the whole of its transaction. */
    public static final int WHOLE_TRANSACTION = Integer.MAX_VALUE;
    /** Nothing done yet: the start of the stream. */
    public static final Position START = new Position(Lsn.ZERO, WHOLE_TRANSACTION);

    public Position {
        requireNonNull(lsn, "lsn is null");
        if (ordinal < 0) {
            throw new IllegalArgumentException("ordinal must not be negative, got " + ordinal);
        }
    }

    /** After the whole transaction that commits at {@code lsn}. */
    public static Position afterTransaction(Lsn lsn) {
        return new Position(lsn, WHOLE_TRANSACTION);
    }

    /** After the change with {@code ordinal} of the transaction that commits at {@code lsn}. */
    public static Position of(Lsn lsn, int ordinal) {
        return new Position(lsn, ordinal);
    }

    /** Whether this position covers the whole of its transaction. */
    public boolean wholeTransaction() {
        return ordinal == WHOLE_TRANSACTION;
    }

    /** Whether {@code event} is done once this position is: its transaction is before, or it is not after it within. */
    public boolean covers(ChangeEvent event) {
        int order = event.commitLsn().compareTo(lsn);
        return order < 0 || (order == 0 && event.ordinal() <= ordinal);
    }

    @Override
    public int compareTo(Position other) {
        int order = lsn.compareTo(other.lsn);
        return order != 0 ? order : Integer.compare(ordinal, other.ordinal);
    }

    @Override
    public String toString() {
        return wholeTransaction() ? lsn.toString() : lsn + "#" + ordinal;
    }
}

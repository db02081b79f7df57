package io.pgflo.sink.api;

import static java.util.Objects.requireNonNull;

/**
 * A place in the change stream, and what a sink records as durable and resumes from: either after a whole
 * transaction, or after one change within a transaction that the sink received in several batches.
 *
 * <ul>
 *   <li>{@link #afterTransaction(Lsn)}: the transaction's end LSN (its commit record's end), the point the source
 *       resumes after. Everything committed up to there is done.</li>
 *   <li>{@link #of(Lsn, int)}: a transaction's commit LSN and the ordinal of a change in it. That change, those
 *       before it, and every earlier transaction are done; the rest of the transaction is not. A restart reads the
 *       transaction again and delivers only the changes after the ordinal.</li>
 * </ul>
 * The two kinds order as the stream does. A transaction's commit record starts at or after the end of the transaction
 * before it (at it exactly when nothing was logged in between) and ends before its own end LSN, so a position inside a
 * transaction committing at {@code C} sorts after every whole position up to {@code C} and before the later ones. An
 * event is covered by a position exactly when its own position ({@link ChangeEvent#position()}) is not after it.
 *
 * @param lsn the end LSN of a whole transaction, or the commit LSN of the transaction the position is inside
 * @param ordinal the last change done within that transaction, or {@link #WHOLE_TRANSACTION}
 */
public record Position(Lsn lsn, int ordinal) implements Comparable<Position> {
    /** The ordinal of a position after the whole of its transaction. */
    public static final int WHOLE_TRANSACTION = Integer.MAX_VALUE;
    /** Nothing done yet: the start of the stream. */
    public static final Position START = new Position(Lsn.ZERO, WHOLE_TRANSACTION);

    private static final char ORDINAL_SEPARATOR = '#';

    public Position {
        requireNonNull(lsn, "lsn is null");
        if (ordinal < 0) {
            throw new IllegalArgumentException("ordinal must not be negative, got " + ordinal);
        }
    }

    /** After the whole transaction that ends at {@code endLsn} (and everything before it). */
    public static Position afterTransaction(Lsn endLsn) {
        return endLsn.equals(Lsn.ZERO) ? START : new Position(endLsn, WHOLE_TRANSACTION);
    }

    /** After the change with {@code ordinal} of the transaction that commits at {@code commitLsn}. */
    public static Position of(Lsn commitLsn, int ordinal) {
        return new Position(commitLsn, ordinal);
    }

    /**
     * Parses {@link #toString()}'s form: {@code X/Y} for a whole transaction, {@code X/Y#N} inside one; rejects
     * anything else with a message that quotes the input.
     */
    public static Position parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("position is null");
        }
        try {
            int separator = text.indexOf(ORDINAL_SEPARATOR);
            if (separator < 0) {
                return afterTransaction(Lsn.parse(text));
            }
            Lsn lsn = Lsn.parse(text.substring(0, separator));
            String ordinal = text.substring(separator + 1);
            int value = Integer.parseInt(ordinal);
            if (value < 0 || value == WHOLE_TRANSACTION || !ordinal.equals(Integer.toString(value))) {
                throw new IllegalArgumentException(ordinal);
            }
            return of(lsn, value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "not a position (expected X/Y or X/Y#N, e.g. 0/16B3748#12): '" + text + "'", e);
        }
    }

    /** Whether this position covers the whole of its transaction. */
    public boolean wholeTransaction() {
        return ordinal == WHOLE_TRANSACTION;
    }

    /**
     * The last point the source may be told is done: this position's LSN when it is after a whole transaction, else
     * nothing of the transaction it is inside, so {@code before}, the last whole position the caller knows.
     */
    public Lsn acknowledgeable(Lsn before) {
        return wholeTransaction() ? lsn : before;
    }

    /** Whether {@code event} is done once this position is: its transaction is before, or it is not after it within. */
    public boolean covers(ChangeEvent event) {
        return covers(event.commitLsn(), event.ordinal());
    }

    /**
     * Whether the change {@code ordinal} of the transaction committing at {@code commitLsn} is done: after a whole
     * transaction ending at {@code E}, every transaction whose commit starts before {@code E}; inside the transaction
     * committing at {@code C}, the earlier transactions and its changes up to the ordinal.
     */
    public boolean covers(Lsn commitLsn, int ordinal) {
        int order = commitLsn.compareTo(lsn);
        return order < 0 || (order == 0 && !wholeTransaction() && ordinal <= this.ordinal);
    }

    public boolean isAfter(Position other) {
        return compareTo(other) > 0;
    }

    public static Position max(Position a, Position b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    /** Orders by LSN; at one LSN, the whole position (an end) before those inside the transaction committing there. */
    @Override
    public int compareTo(Position other) {
        int order = lsn.compareTo(other.lsn);
        if (order != 0) {
            return order;
        }
        if (wholeTransaction() != other.wholeTransaction()) {
            return wholeTransaction() ? -1 : 1;
        }
        return Integer.compare(ordinal, other.ordinal);
    }

    /** {@code X/Y} after a whole transaction, {@code X/Y#N} inside one; {@link #parse} reads it back. */
    @Override
    public String toString() {
        return wholeTransaction() ? lsn.toString() : lsn.toString() + ORDINAL_SEPARATOR + ordinal;
    }
}

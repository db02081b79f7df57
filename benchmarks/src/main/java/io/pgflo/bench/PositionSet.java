package io.pgflo.bench;

import java.util.Arrays;

/**
 * The distinct WAL positions of the events a receiver got, to tell a redelivered event from a new one: Debezium's
 * HTTP sink delivers at least once. An open-addressing set of non-negative longs, growing as it fills, so a
 * million positions cost 16 to 32 MB and no object each.
 */
final class PositionSet {
    private static final long EMPTY = -1;

    private long[] slots;
    private int size;

    PositionSet(int expected) {
        slots = new long[Integer.highestOneBit(Math.max(16, expected) * 2 - 1) << 1];
        Arrays.fill(slots, EMPTY);
    }

    /** Adds a position (at least 0); false when it was there already. */
    synchronized boolean add(long position) {
        if (position < 0) {
            throw new IllegalArgumentException("a WAL position is not negative, got " + position);
        }
        if ((size + 1) * 2 > slots.length) {
            grow();
        }
        return insert(slots, position);
    }

    synchronized int size() {
        return size;
    }

    private boolean insert(long[] table, long position) {
        int mask = table.length - 1;
        for (int i = mix(position) & mask; ; i = (i + 1) & mask) {
            if (table[i] == position) {
                return false;
            }
            if (table[i] == EMPTY) {
                table[i] = position;
                if (table == slots) {
                    size++;
                }
                return true;
            }
        }
    }

    private void grow() {
        long[] old = slots;
        slots = new long[old.length * 2];
        Arrays.fill(slots, EMPTY);
        size = 0;
        for (long position : old) {
            if (position != EMPTY) {
                insert(slots, position);
            }
        }
    }

    private static int mix(long value) {
        long h = value * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32));
    }
}

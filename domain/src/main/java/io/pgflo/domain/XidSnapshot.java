package io.pgflo.domain;

import java.util.Set;

/**
 * Which transactions a query saw ({@code pg_current_snapshot()}): those before {@code xmin}, and those before
 * {@code xmax} not in {@code running}. Transaction ids are compared as PostgreSQL compares 32-bit ids, modulo 2^32,
 * since the stream carries 32-bit ids.
 */
public record XidSnapshot(long xmin, long xmax, Set<Long> running) {
    public XidSnapshot {
        running = Set.copyOf(running);
    }

    /**
     * Parses {@code xmin:xmax:xip,...} as {@code pg_current_snapshot()::text} prints it (64-bit ids; their low 32
     * bits are kept).
     */
    public static XidSnapshot parse(String text) {
        String[] parts = text.split(":", -1);
        if (parts.length != 3) {
            throw new IllegalArgumentException("not a snapshot (xmin:xmax:xip,...): '" + text + "'");
        }
        try {
            java.util.Set<Long> running = new java.util.HashSet<>();
            if (!parts[2].isEmpty()) {
                for (String xid : parts[2].split(",")) {
                    running.add(low32(Long.parseLong(xid)));
                }
            }
            return new XidSnapshot(low32(Long.parseLong(parts[0])), low32(Long.parseLong(parts[1])), running);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a snapshot (xmin:xmax:xip,...): '" + text + "'", e);
        }
    }

    /** Whether the changes of transaction {@code xid} (32 bits) were visible to the query. */
    public boolean sees(long xid) {
        long id = low32(xid);
        return precedes(id, xmin) || (precedes(id, xmax) && !running.contains(id));
    }

    /** Whether {@code xid} is older than every transaction the query could not see. */
    public boolean before(long xid) {
        return precedes(low32(xid), xmin);
    }

    private static boolean precedes(long a, long b) {
        return (int) (a - b) < 0;
    }

    private static long low32(long xid) {
        return xid & 0xFFFFFFFFL;
    }
}

package io.pgflo.bench;

/**
 * What a contender delivered, checked after it stopped.
 *
 * @param events events counted at the destination, or null when not counted
 * @param ok false when the destination shows less (or other) than the workload
 * @param note what was checked, for the table
 */
record Delivery(Long events, boolean ok, String note) {
    static final Delivery NOT_CHECKED = new Delivery(null, true, "");

    static Delivery counted(long events, long expected, String what) {
        boolean ok = events == expected;
        return new Delivery(events, ok, ok ? "" : what + " " + events + " of " + expected + " events");
    }
}

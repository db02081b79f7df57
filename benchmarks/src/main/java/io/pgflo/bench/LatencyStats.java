package io.pgflo.bench;

import java.util.Arrays;

/**
 * Commit-to-durable latency of one segment: percentiles in milliseconds over the rows that arrived.
 *
 * @param achievedRate the changes per second the writer reached
 */
record LatencyStats(String contender, String segment, int rate, double achievedRate, long rows, long delivered,
        double p50Ms, double p95Ms, double p99Ms, double maxMs) {

    /** From the per-row latencies in microseconds (negative ones, clock granularity, count as 0). */
    static LatencyStats of(String contender, LatencySegment segment, double seconds, long[] latencyMicros,
            int delivered) {
        long[] sorted = Arrays.copyOf(latencyMicros, delivered);
        Arrays.sort(sorted);
        return new LatencyStats(contender, segment.name(), segment.rate(), segment.rows() / seconds, segment.rows(),
                delivered, percentile(sorted, 0.50), percentile(sorted, 0.95), percentile(sorted, 0.99),
                delivered == 0 ? Double.NaN : Math.max(0, sorted[delivered - 1]) / 1000.0);
    }

    /** The nearest-rank percentile, in milliseconds. */
    static double percentile(long[] sorted, double fraction) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(fraction * sorted.length);
        return Math.max(0, sorted[Math.max(0, rank - 1)]) / 1000.0;
    }
}

package io.pgflo.bench;

/** A stretch of the latency workload: the rows {@code firstId..lastId}, written at {@code rate} changes/s. */
record LatencySegment(String name, int rate, long firstId, long lastId) {
    long rows() {
        return lastId - firstId + 1;
    }

    /** The segment after {@code previous} (or the first, when null) at {@code rate} for {@code seconds}. */
    static LatencySegment after(LatencySegment previous, String name, int rate, int seconds) {
        long first = previous == null ? 1 : previous.lastId() + 1;
        long rows = Math.max(LatencyWriter.CHANGES_PER_TRANSACTION, (long) rate * seconds);
        return new LatencySegment(name, rate, first, first + rows - 1);
    }
}

package io.pgflo.bench;

/**
 * A consumer of the latency workload: started before the writer, asked how many rows of a segment are durable (to wait
 * for the end of one), and finally when each row became durable.
 */
interface LatencyContender extends AutoCloseable {
    String id();

    /** Starts consuming the source's {@link LatencyTable} and returns once it is streaming. */
    void start(LatencyContext context) throws Exception;

    /** How many rows of {@code segment} are durable in the sink now. */
    long durable(LatencySegment segment) throws Exception;

    /** When each row of {@code segment} became durable, in microseconds since the epoch (0: not yet), by row id. */
    Arrivals arrivals(LatencySegment segment) throws Exception;

    /** The last lines of its log when it failed; empty otherwise. */
    default String failure() {
        return "";
    }

    @Override
    void close() throws Exception;
}

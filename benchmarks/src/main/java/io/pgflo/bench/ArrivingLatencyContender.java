package io.pgflo.bench;

/**
 * A pg_flo contender whose rows are stamped as they arrive (the file sink's tail, the webhook's receiver) rather than
 * read from a target afterwards: the pg_flo process and its {@link Arrivals}.
 */
abstract class ArrivingLatencyContender implements LatencyContender {
    ProcessLaunch process;
    Arrivals arrivals;

    @Override
    public long durable(LatencySegment segment) {
        return arrivals.countBetween(segment.firstId(), segment.lastId());
    }

    @Override
    public Arrivals arrivals(LatencySegment segment) {
        return arrivals;
    }

    @Override
    public String failure() {
        return PgFloLatencyProcess.exited(process);
    }
}

package io.pgflo.cli;

import io.pgflo.domain.PipelineStats;
import io.pgflo.sink.api.Position;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/** Logs a progress line at a fixed interval: events written, rate, checkpoint, and lag behind the source. */
final class ProgressReporter implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger("progress");

    private final PipelineStats stats;
    private final EveryInterval schedule;
    private long lastEvents;
    private long lastNanos = System.nanoTime();

    ProgressReporter(PipelineStats stats, Duration interval) {
        this.stats = stats;
        this.schedule = new EveryInterval("pg_flo-progress", interval, this::reportNow);
    }

    private void reportNow() {
        long events = stats.eventsWritten();
        long now = System.nanoTime();
        double rate = (events - lastEvents) * 1e9 / Math.max(1, now - lastNanos);
        lastEvents = events;
        lastNanos = now;
        // As the metrics' pgflo_replication_lag_seconds: 0 when caught up, else since the newest durable commit.
        String lag = stats.lag(Instant.now()).toMillis() / 1000.0 + "s";
        Position checkpoint = stats.checkpoint();
        // For --log-format json: the checkpoint's LSN as a field of its own, which collectors chart without parsing.
        try (MDC.MDCCloseable ignored = MDC.putCloseable("lsn", checkpoint.lsn().toString())) {
            log.info("events={} rate={}/s checkpoint={} lag={}", events, Math.round(rate), checkpoint, lag);
        }
    }

    @Override
    public void close() {
        schedule.close();
    }
}

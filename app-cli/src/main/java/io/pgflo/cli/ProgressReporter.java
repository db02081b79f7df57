package io.pgflo.cli;

import io.pgflo.domain.PipelineStats;
import io.pgflo.sink.api.Position;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/** Logs a progress line at a fixed interval: events written, rate, checkpoint, and lag behind the source. */
final class ProgressReporter implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger("progress");

    private final PipelineStats stats;
    private final ScheduledExecutorService scheduler;
    private long lastEvents;
    private long lastNanos = System.nanoTime();

    ProgressReporter(PipelineStats stats, Duration interval) {
        this.stats = stats;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "pg_flo-progress");
            thread.setDaemon(true);
            return thread;
        });
        if (!interval.isZero()) {
            scheduler.scheduleAtFixedRate(this::report, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private void report() {
        try {
            reportNow();
        } catch (Error e) {
            // The scheduler would keep it in a future nobody reads and stop reporting in silence: this thread's
            // uncaught-exception handler hears of it instead (pg_flo's ends the process on an OutOfMemoryError).
            Thread thread = Thread.currentThread();
            thread.getUncaughtExceptionHandler().uncaughtException(thread, e);
            throw e;
        }
    }

    private void reportNow() {
        long events = stats.eventsWritten();
        long now = System.nanoTime();
        double rate = (events - lastEvents) * 1e9 / Math.max(1, now - lastNanos);
        lastEvents = events;
        lastNanos = now;
        Instant lastCommit = stats.lastCommitTime();
        String lag = lastCommit == null ? "-" : Math.max(0, Duration.between(lastCommit, Instant.now()).toMillis()) / 1000.0 + "s";
        Position checkpoint = stats.checkpoint();
        // For --log-format json: the checkpoint's LSN as a field of its own, which collectors chart without parsing.
        try (MDC.MDCCloseable ignored = MDC.putCloseable("lsn", checkpoint.lsn().toString())) {
            log.info("events={} rate={}/s checkpoint={} lag={}", events, Math.round(rate), checkpoint, lag);
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}

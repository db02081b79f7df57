package io.pgflo.cli;

import io.pgflo.domain.BackfillMerger;
import io.pgflo.domain.BackfillRequest;
import io.pgflo.domain.BackfillRunner;
import io.pgflo.sink.api.Position;
import io.pgflo.wal.PostgresBackfillSource;
import java.time.Duration;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the group's backfills beside its stream, on a thread of its own; a backfill that fails is logged and taken up
 * again later from where it got, without stopping the stream.
 */
final class BackfillThread implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger("backfill");
    private static final Duration RETRY = Duration.ofSeconds(10);

    private final Thread thread;
    private volatile BackfillRunner runner;
    private volatile boolean closed;

    private BackfillThread(SourceOptions options, BackfillMerger merger, Supplier<Position> durable) {
        this.thread = new Thread(() -> loop(options, merger, durable), "pg_flo-backfill");
        thread.setDaemon(true);
    }

    static BackfillThread start(SourceOptions options, BackfillMerger merger, Supplier<Position> durable) {
        BackfillThread backfills = new BackfillThread(options, merger, durable);
        backfills.thread.start();
        return backfills;
    }

    private void loop(SourceOptions options, BackfillMerger merger, Supplier<Position> durable) {
        while (!closed) {
            try (PostgresBackfillSource source = PostgresBackfillSource.open(options.endpoint(), options.group)) {
                BackfillRunner current = new BackfillRunner(source, merger, durable, options.backfillChunkRows,
                        Duration.ofSeconds(1), new Listener(Duration.ofSeconds(options.progressSeconds)));
                runner = current;
                if (closed) {
                    return;
                }
                current.run();
                return;
            } catch (RuntimeException e) {
                log.warn("backfill failed ({}); the stream goes on, and the backfill resumes in {} s from where it got",
                        ErrorMessages.oneLine(ErrorMessages.rootMessage(e)), RETRY.toSeconds());
                try {
                    Thread.sleep(RETRY.toMillis());
                } catch (InterruptedException interrupted) {
                    return;
                }
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        BackfillRunner current = runner;
        if (current != null) {
            current.stop();
        }
        thread.interrupt();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Logs a backfill's start and end, and its progress at most once per {@code --progress-interval} (its first chunk
     * at once): rows done of the server's estimate, rate, and time left.
     */
    private static final class Listener implements BackfillRunner.Listener {
        private final long intervalNanos;
        private long estimate;
        private long startedAt;
        private long startRows;
        private long lastLogAt;

        Listener(Duration interval) {
            this.intervalNanos = interval.toNanos();
        }

        @Override
        public void started(BackfillRequest request, long estimatedRows) {
            estimate = estimatedRows;
            startedAt = System.nanoTime();
            startRows = request.rowsDone();
            lastLogAt = 0;
            log.info("backfill {} of {}{} {}", request.id(), request.table(),
                    request.predicate() == null ? "" : " where " + request.predicate(),
                    request.rowsDone() > 0 ? "resumes after " + request.rowsDone() + " rows" : "starts");
        }

        @Override
        public void chunk(BackfillRequest request, long rowsDone) {
            long now = System.nanoTime();
            if (lastLogAt != 0 && (intervalNanos == 0 || now - lastLogAt < intervalNanos)) {
                return;
            }
            lastLogAt = now;
            double rate = (rowsDone - startRows) * 1e9 / Math.max(1, now - startedAt);
            String of = estimate > 0 && request.predicate() == null ? "/~" + estimate : "";
            String eta = request.predicate() == null
                    ? CopyProgressReporter.timeLeft(estimate - rowsDone, rate).map(left -> ", eta " + left).orElse("")
                    : "";
            log.info("backfill {} of {}: {}{} rows, {} rows/s{}", request.id(), request.table(), rowsDone, of,
                    Math.round(rate), eta);
        }

        @Override
        public void completed(BackfillRequest request, long rowsDone) {
            log.info("backfill {} of {} complete: {} rows", request.id(), request.table(), rowsDone);
        }
    }
}

package io.pgflo.cli;

import io.pgflo.domain.CopyStats;
import io.pgflo.sink.api.TableName;
import java.time.Duration;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs a copy's progress at a fixed interval: one line per table under way, with rows done of the server's estimate,
 * MB, rate and time left, and the reminder that the source holds back vacuum meanwhile.
 */
final class CopyProgressReporter implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger("progress");

    private final CopyStats stats;
    private final EveryInterval schedule;
    private long lastRows;
    private long lastNanos = System.nanoTime();

    CopyProgressReporter(CopyStats stats, Duration interval) {
        this.stats = stats;
        this.schedule = new EveryInterval("pg_flo-copy-progress", interval, this::report);
    }

    private void report() {
        long rows = stats.rows();
        long now = System.nanoTime();
        double rate = (rows - lastRows) * 1e9 / Math.max(1, now - lastNanos);
        lastRows = rows;
        lastNanos = now;
        for (TableName table : stats.tables()) {
            CopyStats.Table figures = stats.table(table);
            if (!figures.finished() && figures.rows() > 0) {
                log.info(line(table, figures, rate));
            }
        }
    }

    /** One table's line; {@code rate} is the copy's rows per second over all tables. */
    static String line(TableName table, CopyStats.Table figures, double rate) {
        long estimate = figures.estimatedRows();
        String done = estimate > 0
                ? String.format(Locale.ROOT, "%d/~%d rows (%d%%)", figures.rows(), estimate,
                        Math.min(100, figures.rows() * 100 / estimate))
                : figures.rows() + " rows";
        String eta = timeLeft(estimate - figures.rows(), rate).map(left -> " eta " + left).orElse("");
        return String.format(Locale.ROOT, "copy %s: %s %.1f MB %d rows/s%s; the source holds back vacuum until the "
                + "copy ends", table, done, figures.bytes() / 1048576.0, Math.round(rate), eta);
    }

    /** {@code 1m30s} for the rows left at {@code rate} rows a second; empty when there is nothing to say. */
    static java.util.Optional<String> timeLeft(long rowsLeft, double rate) {
        if (rowsLeft <= 0 || rate <= 0) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(Duration.ofSeconds(Math.round(rowsLeft / rate)).toString().substring(2)
                .toLowerCase(Locale.ROOT));
    }

    @Override
    public void close() {
        schedule.close();
    }
}

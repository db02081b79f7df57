package io.pgflo.examples;

import io.pgflo.domain.BatchPolicy;
import io.pgflo.domain.DatabaseEndpoint;
import io.pgflo.sink.api.Position;
import io.pgflo.domain.Pipeline;
import io.pgflo.sink.file.FileSink;
import io.pgflo.sink.file.FileSinkConfig;
import io.pgflo.wal.PostgresChangeSource;
import io.pgflo.wal.WalSourceConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * Streams a PostgreSQL database's committed changes into rotating JSON-lines files with the WAL reader and the file
 * sink alone: no command line, no dependency injection. Run again with the same group and status directory, it
 * continues after the last change it wrote; each change is in the files once.
 *
 * <p>{@code WalToFiles <group> <output-dir> <status-dir> [table...]} (no table: every table of schema public), the
 * source database from {@code PGFLO_HOST}, {@code PGFLO_PORT}, {@code PGFLO_DBNAME}, {@code PGFLO_USER} and
 * {@code PGFLO_PASSWORD}. Ctrl-C stops it cleanly.
 */
public final class WalToFiles {
    private WalToFiles() {}

    public static void main(String[] args) throws InterruptedException {
        if (args.length < 3) {
            System.err.println("usage: WalToFiles <group> <output-dir> <status-dir> [table...]");
            System.exit(2);
        }
        List<String> tables = List.of(args).subList(3, args.length);
        try (StopOnSignal signal = StopOnSignal.install()) {
            Position checkpoint = run(EnvironmentEndpoint.read("PGFLO_"), args[0], tables, Path.of(args[1]),
                    Path.of(args[2]), signal.requested());
            System.err.println("stopped cleanly at checkpoint " + checkpoint);
        }
    }

    /**
     * Streams {@code tables} of schema public from {@code database} into {@code outputDir} until {@code stopRequested}
     * completes, and returns the checkpoint it stopped at. A failure is thrown; running again resumes from the last
     * checkpoint, losing nothing.
     */
    public static Position run(DatabaseEndpoint database, String group, List<String> tables, Path outputDir, Path statusDir,
            CompletionStage<?> stopRequested) throws InterruptedException {
        WalSourceConfig config = WalSourceConfig.of(database, group, "public", tables);
        // The sink first: it needs nothing from the source, and when it cannot start (an unwritable directory) no
        // replication slot has been created yet to make the server keep WAL for a stream that never comes. Opening it
        // also repairs what a crash left behind: the files are cut back to what the saved checkpoint covers.
        // One status directory per group: the checkpoint file's name does not say which group it belongs to.
        try (FileSink sink = new FileSink(FileSinkConfig.of(outputDir, statusDir));
                // Checks the source (wal_level = logical, a user with REPLICATION, the tables exist) and creates the
                // group's publication and slot the first time; later runs find them and continue.
                PostgresChangeSource source = PostgresChangeSource.open(config)) {
            // The pipeline asks the sink for its checkpoint and starts the source right after it: that is the resume.
            // It acknowledges to the server only what the sink reports durable, so the slot never passes what is on
            // disk, and a crash anywhere loses nothing.
            Pipeline pipeline = new Pipeline(source, sink, BatchPolicy.DEFAULT);
            stopRequested.thenRun(pipeline::stop); // stop() may be called from any thread, even before run()
            // Blocks. After stop() it writes what is committed, saves the checkpoint and acknowledges it; a
            // transaction still open is left for the next run, which receives it whole.
            pipeline.run();
            return sink.lastCheckpoint();
        }
    }
}

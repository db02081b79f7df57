package io.pgflo.examples;

import io.pgflo.domain.BatchPolicy;
import io.pgflo.domain.DatabaseEndpoint;
import io.pgflo.sink.api.Position;
import io.pgflo.domain.Pipeline;
import io.pgflo.sink.postgres.PostgresSink;
import io.pgflo.sink.postgres.PostgresSinkConfig;
import io.pgflo.wal.PostgresChangeSource;
import io.pgflo.wal.WalSourceConfig;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * Replicates tables of one PostgreSQL database into another with the WAL reader and the PostgreSQL sink alone: the
 * target gets the tables it lacks, follows their schema changes, and holds each source transaction exactly once,
 * also across restarts.
 *
 * <p>{@code WalToPostgres <group> [table...]} (no table: every table of schema public), the source from
 * {@code PGFLO_HOST}, {@code PGFLO_PORT}, {@code PGFLO_DBNAME}, {@code PGFLO_USER}, {@code PGFLO_PASSWORD}, the target
 * from the same names with {@code PGFLO_TARGET_}. Ctrl-C stops it cleanly.
 */
public final class WalToPostgres {
    private WalToPostgres() {}

    public static void main(String[] args) throws InterruptedException {
        if (args.length < 1) {
            System.err.println("usage: WalToPostgres <group> [table...]");
            System.exit(2);
        }
        try (StopOnSignal signal = StopOnSignal.install()) {
            Position checkpoint = run(EnvironmentEndpoint.read("PGFLO_"), EnvironmentEndpoint.read("PGFLO_TARGET_"), args[0],
                    List.of(args).subList(1, args.length), signal.requested());
            System.err.println("stopped cleanly at checkpoint " + checkpoint);
        }
    }

    /**
     * Replicates {@code tables} of schema public until {@code stopRequested} completes, and returns the checkpoint it
     * stopped at. A failure is thrown; running again resumes from the checkpoint stored in the target.
     */
    public static Position run(DatabaseEndpoint sourceDatabase, DatabaseEndpoint targetDatabase, String group,
            List<String> tables, CompletionStage<?> stopRequested) throws InterruptedException {
        WalSourceConfig config = WalSourceConfig.of(sourceDatabase, group, "public", tables)
                // Event triggers (installed once, by a superuser) record each schema change of the tables, so that it
                // reaches the target in WAL order, between the rows written before and after it.
                .withCaptureDdl(true)
                // This sink can keep a transaction open on the target and roll it back, so a PostgreSQL 14+ source may
                // send a large transaction while still decoding it. Leave it off for sinks that cannot undo.
                .withProvisionalChanges(true);
        // The source first here: the sink checks and creates the very tables the source resolved.
        PostgresChangeSource source = PostgresChangeSource.open(config);
        PostgresSink sink;
        try {
            // The group names the sink's checkpoint row in the target; the normalized name is the one pg_flo uses.
            sink = new PostgresSink(PostgresSinkConfig.of(targetDatabase, config.names().group())
                    .withSource(sourceDatabase, source.tables()) // each has a key; refuses a target that is the source
                    .withSyncSchema(true)); // creates the tables the target lacks; existing ones are left as they are
        } catch (RuntimeException e) {
            source.abandonIfNotStarted(); // a first start that fails leaves no slot behind holding the server's WAL
            source.close();
            throw e;
        }
        try (source; sink) {
            // Resumes after the checkpoint the sink read from the target, which it commits with each batch's rows.
            Pipeline pipeline = new Pipeline(source, sink, BatchPolicy.DEFAULT);
            stopRequested.thenRun(pipeline::stop); // stop() may be called from any thread, even before run()
            pipeline.run(); // after stop(): commits what is committed on the source, acknowledges it, returns
            return sink.lastCheckpoint();
        }
    }
}

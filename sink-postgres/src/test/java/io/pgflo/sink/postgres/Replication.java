package io.pgflo.sink.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgflo.sink.api.Batch;
import io.pgflo.domain.BatchPolicy;
import io.pgflo.sink.api.ChangeEvent;
import io.pgflo.sink.api.Lsn;
import io.pgflo.sink.api.Position;
import io.pgflo.sink.api.OptionValues;
import io.pgflo.domain.Pipeline;
import io.pgflo.sink.api.Sink;
import io.pgflo.testkit.PipelineThread;
import io.pgflo.testkit.TestPostgres;
import io.pgflo.wal.PostgresChangeSource;
import io.pgflo.wal.ReplicationNames;
import io.pgflo.wal.WalSourceConfig;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

/**
 * The real pipeline for a test: {@link PostgresChangeSource} on the source database, {@link Pipeline}, and a
 * {@link PostgresSink} into the target database, running on a thread of its own until {@link #close()}.
 */
final class Replication implements AutoCloseable {
    final TestPostgres sourceServer;
    final String sourceDb;
    final TestPostgres targetServer;
    final String targetDb;
    final String group;
    final PostgresChangeSource source;
    final PostgresSink sink;
    private final PipelineThread running;

    private Replication(TestPostgres sourceServer, String sourceDb, TestPostgres targetServer, String targetDb,
            String group, PostgresChangeSource source, PostgresSink sink, BatchPolicy policy, Recorder recorder) {
        this.sourceServer = sourceServer;
        this.sourceDb = sourceDb;
        this.targetServer = targetServer;
        this.targetDb = targetDb;
        this.group = group;
        this.source = source;
        this.sink = sink;
        this.running = PipelineThread.start(new Pipeline(source, recorder.around(sink), policy), "replication-" + group);
    }

    /** Streams {@code tables} of schema public (all when empty), with DDL capture and schema sync. */
    static Replication start(TestPostgres sourceServer, String sourceDb, TestPostgres targetServer, String targetDb,
            String group, List<String> tables) {
        return start(sourceServer, sourceDb, targetServer, targetDb, group, tables, new Recorder());
    }

    /** As above (schema sync, small batches), with the events the sink was given recorded. */
    static Replication start(TestPostgres sourceServer, String sourceDb, TestPostgres targetServer, String targetDb,
            String group, List<String> tables, Recorder recorder) {
        return start(sourceServer, sourceDb, targetServer, targetDb, group, tables, config -> config.withSyncSchema(true),
                new BatchPolicy(1_000, Duration.ofMillis(20)), recorder);
    }

    static Replication start(TestPostgres sourceServer, String sourceDb, TestPostgres targetServer, String targetDb,
            String group, List<String> tables, UnaryOperator<PostgresSinkConfig> sinkConfig, BatchPolicy policy) {
        return start(sourceServer, sourceDb, targetServer, targetDb, group, tables, sinkConfig, policy, new Recorder());
    }

    static Replication start(TestPostgres sourceServer, String sourceDb, TestPostgres targetServer, String targetDb,
            String group, List<String> tables, UnaryOperator<PostgresSinkConfig> sinkConfig, BatchPolicy policy,
            Recorder recorder) {
        // As the command line wires it for this sink with its defaults: large transactions stream, and go out
        // provisionally.
        PostgresSinkProvider provider = new PostgresSinkProvider();
        OptionValues defaults = OptionValues.parse(provider.options(),
                Map.of("target-dbname", List.of(targetDb), "target-user", List.of("unused")));
        WalSourceConfig config = WalSourceConfig.of(sourceServer.endpoint(sourceDb), group, "public", tables)
                .withHeartbeatInterval(Duration.ZERO)
                .withCaptureDdl(true)
                .withProvisionalChanges(provider.acceptsProvisionalChanges(defaults));
        PostgresChangeSource source = PostgresChangeSource.open(config);
        PostgresSink sink;
        try {
            sink = new PostgresSink(sinkConfig.apply(
                    PostgresSinkConfig.of(targetServer.endpoint(targetDb), ReplicationNames.forGroup(group).group())
                            .withSource(sourceServer.endpoint(sourceDb), source.tables())
                            .withRetries(2, Duration.ofMillis(100))));
        } catch (RuntimeException e) {
            source.close();
            throw e;
        }
        return new Replication(sourceServer, sourceDb, targetServer, targetDb, ReplicationNames.forGroup(group).group(),
                source, sink, policy, recorder);
    }

    /**
     * Waits until everything committed on the source so far is in the target: writes a marker into the source's WAL
     * and waits for the target's checkpoint to pass it.
     */
    void awaitCaughtUp() {
        Lsn marker = Lsn.parse(sourceServer.queryString(sourceDb,
                "SELECT pg_logical_emit_message(true, 'pgflo_test_marker', '')::text"));
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            Throwable failure = running.failure();
            if (failure != null) {
                throw new AssertionError("the pipeline failed: " + failure.getMessage(), failure);
            }
            if (targetCheckpoint().isAfter(marker)) {
                return;
            }
            sleep(20);
        }
        throw new AssertionError("the target did not reach " + marker + " within 60 s; checkpoint is " + targetCheckpoint());
    }

    /** The group's checkpoint as stored in the target. */
    Lsn targetCheckpoint() {
        try (Connection connection = targetServer.connect(targetDb); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT lsn::text FROM internal_pg_flo.lsn_status WHERE group_name = '"
                        + group + "'")) {
            return rows.next() ? Lsn.parse(rows.getString(1)) : Lsn.ZERO;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The failure that stopped the pipeline, or null. */
    Throwable failure() {
        return running.failure();
    }

    /** Waits for the pipeline to fail and returns why. */
    Throwable awaitFailure() {
        running.join(Duration.ofSeconds(60));
        assertThat(running.failure()).as("pipeline failure").isNotNull();
        return running.failure();
    }

    /** Source and target give the same rows for {@code query}. */
    void assertSame(String query) {
        List<String> expected = rows(sourceServer, sourceDb, query);
        assertThat(rows(targetServer, targetDb, query)).as("target rows for " + query).containsExactlyElementsOf(expected);
    }

    /** Every row of {@code table} in its text form ({@code t::text}), ordered by that text. */
    void assertSameTable(String table) {
        assertSame("SELECT CASE WHEN length(t::text) > 10000 THEN md5(t::text) ELSE t::text END AS r FROM " + table
                + " t ORDER BY 1");
    }

    static List<String> rows(TestPostgres server, String db, String query) {
        List<String> rows = new ArrayList<>();
        try (Connection connection = server.connect(db); Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery(query)) {
            int columns = result.getMetaData().getColumnCount();
            while (result.next()) {
                StringBuilder row = new StringBuilder();
                for (int i = 1; i <= columns; i++) {
                    row.append(i > 1 ? " | " : "").append(result.getString(i));
                }
                rows.add(row.toString());
            }
        } catch (SQLException e) {
            throw new IllegalStateException(query + " on " + db + ": " + e.getMessage(), e);
        }
        return rows;
    }

    /** Keeps the events the sink was given, and how often it was told to discard, for tests that look at the stream. */
    static final class Recorder {
        private final List<ChangeEvent> events = new CopyOnWriteArrayList<>();
        private final AtomicInteger discards = new AtomicInteger();

        List<ChangeEvent> events() {
            return events;
        }

        int discards() {
            return discards.get();
        }

        Sink around(Sink sink) {
            return new Sink() {
                @Override
                public Position lastCheckpoint() {
                    return sink.lastCheckpoint();
                }

                @Override
                public void writeBatch(Batch batch) {
                    sink.writeBatch(batch);
                    events.addAll(batch.events());
                }

                @Override
                public void flush() {
                    sink.flush();
                }

                @Override
                public void discardOpenTransaction() {
                    sink.discardOpenTransaction();
                    discards.incrementAndGet();
                }

                @Override
                public void close() {
                    sink.close();
                }
            };
        }
    }

    @Override
    public void close() {
        running.close();
        sink.close();
        source.close();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}

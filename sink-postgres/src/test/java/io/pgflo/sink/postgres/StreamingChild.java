package io.pgflo.sink.postgres;

import io.pgflo.domain.BatchPolicy;
import io.pgflo.sink.api.ConfigurationException;
import io.pgflo.domain.DatabaseEndpoint;
import io.pgflo.domain.Pipeline;
import io.pgflo.wal.PostgresChangeSource;
import io.pgflo.wal.WalSourceConfig;
import java.time.Duration;
import java.util.List;

/**
 * A pg_flo stream into PostgreSQL in a JVM of its own, for tests that kill it: the real source, pipeline and sink,
 * in small batches. Args: source host, port, database; target host, port, database; group. The password (the same
 * for both) comes from {@code PGFLO_TEST_PASSWORD}.
 */
public final class StreamingChild {
    private StreamingChild() {}

    public static void main(String[] args) throws Exception {
        String password = System.getenv("PGFLO_TEST_PASSWORD");
        DatabaseEndpoint source = new DatabaseEndpoint(args[0], Integer.parseInt(args[1]), args[2], "postgres", password, null, null);
        DatabaseEndpoint target = new DatabaseEndpoint(args[3], Integer.parseInt(args[4]), args[5], "postgres", password, null, null);
        String group = args[6];
        WalSourceConfig config = WalSourceConfig.of(source, group, "public", List.of())
                .withHeartbeatInterval(Duration.ofMillis(500)).withCaptureDdl(true);
        PostgresChangeSource changes = open(config);
        PostgresSink sink = new PostgresSink(PostgresSinkConfig.of(target, group)
                .withSource(source, changes.tables())
                .withSyncSchema(true)
                .withSchemaCopier(SchemaSync.Copier.CATALOG, null));
        System.out.println("streaming from checkpoint " + sink.lastCheckpoint());
        System.out.flush();
        new Pipeline(changes, sink, new BatchPolicy(25, Duration.ofMillis(5))).run();
    }

    /** The slot of a killed predecessor is released a moment after its connection drops. */
    private static PostgresChangeSource open(WalSourceConfig config) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            try {
                return PostgresChangeSource.open(config);
            } catch (ConfigurationException e) {
                if (!e.getMessage().contains("in use") || System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(100);
            }
        }
    }
}

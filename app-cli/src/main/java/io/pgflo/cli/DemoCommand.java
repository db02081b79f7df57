package io.pgflo.cli;

import com.beust.jcommander.Parameter;
import com.beust.jcommander.Parameters;
import io.pgflo.sink.stdout.StdoutSinkProvider;
import io.pgflo.sink.api.OptionSet;
import io.pgflo.sink.api.OptionValues;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code pg_flo demo}: starts an embedded PostgreSQL, creates a small schema, streams a short mixed workload through
 * the real pipeline to the stdout sink, and stops. Nothing to install but a JDK.
 */
@Parameters(commandDescription = "stream a short workload from an embedded PostgreSQL to stdout")
final class DemoCommand {
    private static final Logger log = LoggerFactory.getLogger("demo");

    @Parameter(names = "--customers", description = "how many customers the workload inserts", validateWith = WholeNumberRange.Positive.class)
    int customers = 5;

    @Parameter(names = "--log-level", description = "log level: error, warn, info, debug, trace")
    String logLevel = "info";

    @Parameter(names = {"--help", "-h"}, help = true, description = "show this help")
    boolean help;

    void run(PrintStream out) throws Exception {
        Path statusDir = Files.createTempDirectory("pg_flo-demo");
        log.info("starting an embedded PostgreSQL (the first run unpacks its binaries)");
        try (DemoDatabase postgres = DemoDatabase.start()) {
            String database = "demo";
            postgres.createDatabase(database);
            try (Connection connection = postgres.connect(database)) {
                createSchema(connection);
                SourceOptions options = new SourceOptions();
                options.host = postgres.host();
                options.port = postgres.port();
                options.dbname = database;
                options.user = DemoDatabase.SUPERUSER;
                options.group = "demo";
                options.schema = "demo";
                options.statusDir = statusDir;
                options.batch.delayMillis = 100;
                options.progressSeconds = 0;
                options.heartbeatSeconds = 1;
                StreamRunner runner = new StreamRunner(options, new SelectedSink(new StdoutSinkProvider(), OptionValues.defaults(OptionSet.NONE)));
                Thread streaming = new Thread(() -> {
                    try {
                        runner.run();
                    } catch (Exception e) {
                        log.error("stream failed: {}", e.getMessage());
                    }
                }, "pg_flo-demo-stream");
                streaming.start();
                awaitStreaming(runner, streaming, Duration.ofSeconds(60));
                int expected = runWorkload(connection);
                log.info("workload committed {} changes; waiting for them to be streamed", expected);
                awaitConfirmed(connection, currentLsn(connection), Duration.ofSeconds(60));
                runner.stop();
                streaming.join(Duration.ofSeconds(30).toMillis());
                if (streaming.isAlive() || !runner.succeeded()) {
                    throw new IllegalStateException("the demo stream did not finish cleanly; see the log above");
                }
            }
        } finally {
            DirectoryTree.delete(statusDir);
        }
        out.flush();
        log.info("demo finished: run 'pg_flo stream stdout --help' to stream from your own database");
    }

    private static void createSchema(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("CREATE SCHEMA demo");
            statement.execute("CREATE TYPE demo.tier AS ENUM ('free', 'pro', 'enterprise')");
            statement.execute("CREATE TABLE demo.customers (id serial PRIMARY KEY, name text NOT NULL, email text, "
                    + "tier demo.tier NOT NULL DEFAULT 'free', tags text[], created_at timestamptz NOT NULL DEFAULT now())");
            statement.execute("CREATE TABLE demo.orders (id bigserial PRIMARY KEY, customer_id int NOT NULL "
                    + "REFERENCES demo.customers, amount numeric(12,2) NOT NULL, items jsonb NOT NULL, paid boolean NOT NULL DEFAULT false)");
        }
    }

    /** Inserts, updates, deletes and one multi-row transaction. Returns the number of changes. */
    private int runWorkload(Connection connection) throws SQLException {
        int changes = 0;
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO demo.customers (name, email, tags) VALUES (?, ?, ?)")) {
            for (int i = 1; i <= customers; i++) {
                insert.setString(1, "Customer " + i);
                insert.setString(2, "customer" + i + "@example.com");
                insert.setArray(3, connection.createArrayOf("text", new String[] {"demo", i % 2 == 0 ? "even" : null}));
                insert.executeUpdate();
                changes++;
            }
        }
        try (Statement statement = connection.createStatement()) {
            changes += statement.executeUpdate("UPDATE demo.customers SET tier = 'pro' WHERE id = 1");
            connection.setAutoCommit(false);
            for (int i = 1; i <= 3; i++) {
                changes += statement.executeUpdate("INSERT INTO demo.orders (customer_id, amount, items) VALUES (1, "
                        + (19.99 * i) + ", '[{\"sku\": \"A-" + i + "\", \"qty\": " + i + "}]')");
            }
            changes += statement.executeUpdate("UPDATE demo.orders SET paid = true WHERE customer_id = 1");
            connection.commit();
            connection.setAutoCommit(true);
            changes += statement.executeUpdate("DELETE FROM demo.customers WHERE id = " + customers + " AND id <> 1");
        }
        return changes;
    }

    /**
     * Waits until the stream's slot is made and the stream is about to read it: every change committed from then on
     * reaches it. (The slot alone reads active while it is being made, before changes are kept for it.)
     */
    private static void awaitStreaming(StreamRunner runner, Thread streaming, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!runner.streamed()) {
            if (!streaming.isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException("the demo stream did not start within " + timeout.toSeconds() + "s");
            }
            Thread.sleep(50);
        }
    }

    private static String currentLsn(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT pg_current_wal_insert_lsn()::text")) {
            rows.next();
            return rows.getString(1);
        }
    }

    private static void awaitConfirmed(Connection connection, String lsn, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            try (PreparedStatement statement = connection.prepareStatement(
                    "SELECT confirmed_flush_lsn >= ?::pg_lsn FROM pg_replication_slots WHERE slot_name = 'pg_flo_demo_slot'")) {
                statement.setString(1, lsn);
                try (ResultSet rows = statement.executeQuery()) {
                    if (rows.next() && rows.getBoolean(1)) {
                        return;
                    }
                }
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("the demo stream did not catch up within " + timeout.toSeconds() + "s");
    }
}

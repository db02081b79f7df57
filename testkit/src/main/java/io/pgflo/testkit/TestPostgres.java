package io.pgflo.testkit;

import static java.util.Objects.requireNonNull;

import io.pgflo.domain.DatabaseEndpoint;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real PostgreSQL 15 server with {@code wal_level=logical}, for tests.
 *
 * <p>It is embedded (zonky's binaries, no installation needed) unless a Docker engine answers, in which case it is a
 * Testcontainers container; {@code PGFLO_TEST_POSTGRES=embedded|docker} forces the choice. Either way the superuser
 * is {@code postgres} with password {@code postgres}, and TCP connections authenticate with scram-sha-256.
 *
 * <p>Most tests use {@link #shared()} and a database of their own from {@link #createDatabase(String)}: a server
 * start costs about a second, a database about a tenth of one. Tests that stop or restart the server use
 * {@link #start()} for one of their own, so they do not pull the floor from under other tests.
 */
public final class TestPostgres implements AutoCloseable {
    public static final String SUPERUSER = ServerSettings.SUPERUSER;
    public static final String SUPERUSER_PASSWORD = ServerSettings.SUPERUSER_PASSWORD;

    private static final AtomicInteger DATABASES_CREATED = new AtomicInteger();
    private static final int MAX_IDENTIFIER_LENGTH = 63;
    private static TestPostgres shared;

    private final PostgresServer server;
    private final boolean isShared;

    private TestPostgres(PostgresServer server, boolean isShared) {
        this.server = server;
        this.isShared = isShared;
    }

    /** Starts a server of its own; close it when done. */
    public static TestPostgres start() {
        return new TestPostgres(ServerKind.chosen().start(), false);
    }

    /**
     * The server shared by every test in this JVM, started on first use and stopped when the JVM exits. Its
     * {@link #close()} does nothing, so a test's try-with-resources cannot take it away from the others.
     */
    public static synchronized TestPostgres shared() {
        if (shared == null) {
            PostgresServer server = ServerKind.chosen().start();
            Runtime.getRuntime().addShutdownHook(new Thread(server::close, "pgflo-testkit-shared-postgres-stop"));
            shared = new TestPostgres(server, true);
        }
        return shared;
    }

    /** {@code embedded} or {@code docker}. */
    public String kind() {
        return server.kind();
    }

    public String host() {
        return server.host();
    }

    public int port() {
        return server.port();
    }

    /** A JDBC URL that carries the superuser's name and password, so {@code DriverManager.getConnection(url)} works. */
    public String jdbcUrl(String database) {
        requireNonNull(database, "database is null");
        return "jdbc:postgresql://" + host() + ":" + port() + "/" + database
                + "?user=" + SUPERUSER + "&password=" + SUPERUSER_PASSWORD;
    }

    /** Where pg_flo's own code should connect: the superuser, with password, no TLS settings. */
    public DatabaseEndpoint endpoint(String database) {
        return new DatabaseEndpoint(host(), port(), database, SUPERUSER, SUPERUSER_PASSWORD, null, null);
    }

    /**
     * Creates an empty database named from {@code prefix} (lower-cased, anything but letters, digits and underscores
     * replaced) plus a number unique in this JVM, and returns the name, which needs no quoting.
     */
    public String createDatabase(String prefix) {
        String name = databaseName(prefix);
        // FILE_COPY rather than PostgreSQL 15's default WAL_LOG: with fsync off it is about twice as fast.
        execute("postgres", "CREATE DATABASE " + name + " STRATEGY FILE_COPY");
        return name;
    }

    /**
     * Drops a database with its replication slots (a database with a slot cannot be dropped, and slots are limited to
     * 64 per server), ending any session still connected to it.
     */
    public void dropDatabase(String database) {
        requireNonNull(database, "database is null");
        try (Connection connection = connect("postgres")) {
            for (int attempt = 0; ; attempt++) {
                try (PreparedStatement terminate = connection.prepareStatement(
                                "SELECT pg_terminate_backend(active_pid) FROM pg_replication_slots"
                                        + " WHERE database = ? AND active_pid IS NOT NULL");
                        PreparedStatement drop = connection.prepareStatement(
                                "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots"
                                        + " WHERE database = ?")) {
                    terminate.setString(1, database);
                    terminate.execute();
                    drop.setString(1, database);
                    drop.execute();
                    break;
                } catch (SQLException e) {
                    // A terminated walsender releases its slot a moment later; until then the slot is "active".
                    if (attempt == 50) {
                        throw e;
                    }
                    sleep(100);
                }
            }
            try (Statement statement = connection.createStatement()) {
                statement.execute("DROP DATABASE IF EXISTS " + quoteIdentifier(database) + " WITH (FORCE)");
            }
        } catch (SQLException e) {
            throw failure("DROP DATABASE " + database, "postgres", e);
        }
    }

    /** A new connection as the superuser, autocommit on. */
    public Connection connect(String database) throws SQLException {
        requireNonNull(database, "database is null");
        Properties properties = new Properties();
        properties.setProperty("user", SUPERUSER);
        properties.setProperty("password", SUPERUSER_PASSWORD);
        properties.setProperty("ApplicationName", "pgflo-testkit");
        return DriverManager.getConnection("jdbc:postgresql://" + host() + ":" + port() + "/" + database, properties);
    }

    /** Runs each statement in its own transaction, in order. */
    public void execute(String database, String... sql) {
        try (Connection connection = connect(database); Statement statement = connection.createStatement()) {
            for (String each : sql) {
                try {
                    statement.execute(each);
                } catch (SQLException e) {
                    throw failure(each, database, e);
                }
            }
        } catch (SQLException e) {
            throw failure("connect", database, e);
        }
    }

    /** The first column of the first row as a long; a missing row or a NULL is an error. */
    public long queryLong(String database, String sql) {
        String value = queryString(database, sql);
        if (value == null) {
            throw new IllegalStateException("query returned NULL on " + describe(database) + ": " + sql);
        }
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new IllegalStateException("query returned '" + value + "', not a whole number, on "
                    + describe(database) + ": " + sql, e);
        }
    }

    /** The first column of the first row in PostgreSQL's text form, or null for NULL; a missing row is an error. */
    public String queryString(String database, String sql) {
        try (Connection connection = connect(database);
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(sql)) {
            if (!rows.next()) {
                throw new IllegalStateException("query returned no rows on " + describe(database) + ": " + sql);
            }
            return rows.getString(1);
        } catch (SQLException e) {
            throw failure(sql, database, e);
        }
    }

    /**
     * Whether a walsender streams from {@code slot}: it holds the slot and has begun START_REPLICATION. A slot's
     * {@code active} alone also reads true while CREATE_REPLICATION_SLOT builds it, and a test that waits for that sees
     * the slot idle again a moment later.
     */
    public boolean isStreamedFrom(String database, String slot) {
        if (!slot.matches("[a-z0-9_]+")) {
            throw new IllegalArgumentException("not a slot name pg_flo makes: " + slot);
        }
        return "true".equals(queryString(database, "SELECT EXISTS (SELECT 1 FROM pg_replication_slots s "
                + "JOIN pg_stat_replication r ON r.pid = s.active_pid "
                + "WHERE s.slot_name = '" + slot + "' AND r.state IN ('catchup', 'streaming'))::text"));
    }

    /**
     * Turns TLS on with {@code certificate}, for tests of TLS connections; use a server from {@link #start()}, since
     * every client that allows TLS (pgjdbc's default, {@code prefer}) then uses it. The certificate and key go into the
     * data directory through {@code COPY ... TO}, so that they belong to the server's account, as PostgreSQL demands of
     * a key, whichever account and kind of server this is (the key's mode is set with {@code COPY ... TO PROGRAM}, so
     * the server needs a shell); a reload then takes them up.
     */
    public void enableTls(TestCertificate certificate) {
        requireNonNull(certificate, "certificate is null");
        String dataDirectory = queryString("postgres", "SHOW data_directory");
        String certificateFile = dataDirectory + "/pgflo-test-server.crt";
        String keyFile = dataDirectory + "/pgflo-test-server.key";
        execute("postgres",
                copyLines(certificate.certificate(), certificateFile),
                copyLines(certificate.privateKey(), keyFile),
                // COPY writes files with mode 0644, and PostgreSQL refuses a key that others may read.
                "COPY (SELECT 1) TO PROGRAM " + quoteLiteral("chmod 0600 '" + keyFile.replace("'", "'\\''") + "'"),
                "ALTER SYSTEM SET ssl_cert_file = " + quoteLiteral(certificateFile),
                "ALTER SYSTEM SET ssl_key_file = " + quoteLiteral(keyFile),
                "ALTER SYSTEM SET ssl = on",
                "SELECT pg_reload_conf()");
        // The postmaster reloads on a signal, a moment after pg_reload_conf() returns.
        Properties properties = new Properties();
        properties.setProperty("user", SUPERUSER);
        properties.setProperty("password", SUPERUSER_PASSWORD);
        properties.setProperty("sslmode", "require");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            try {
                DriverManager.getConnection("jdbc:postgresql://" + host() + ":" + port() + "/postgres", properties)
                        .close();
                return;
            } catch (SQLException e) {
                if (System.nanoTime() > deadline) {
                    String log = logFile().map(file -> "; server log:\n" + FileTrees.tail(file, 2000)).orElse("");
                    throw new IllegalStateException(failure("a TLS connection after turning ssl on", "postgres", e)
                            .getMessage() + log, e);
                }
                sleep(50);
            }
        }
    }

    /**
     * Stops the server cleanly and starts it on the same data and port: connections and replication streams break,
     * committed data and replication slots remain. Use a server from {@link #start()} for this, not the shared one.
     */
    public void restart() {
        server.restart();
    }

    /** Where the embedded server's programs ({@code postgres}, {@code pg_ctl}, {@code initdb}) are; empty for Docker. */
    public Optional<Path> binDirectory() {
        return server.binDirectory();
    }

    /** The embedded server's log file, for diagnosing a failed test; empty for Docker. */
    public Optional<Path> logFile() {
        return server.logFile();
    }

    /** Stops the server and deletes its data; does nothing for {@link #shared()}. */
    @Override
    public void close() {
        if (!isShared) {
            server.close();
        }
    }

    @Override
    public String toString() {
        return "TestPostgres[" + server.kind() + " " + host() + ":" + port() + (isShared ? ", shared" : "") + "]";
    }

    static String databaseName(String prefix) {
        requireNonNull(prefix, "prefix is null");
        String suffix = "_" + DATABASES_CREATED.incrementAndGet();
        String cleaned = prefix.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
        if (cleaned.isEmpty() || !Character.isLetter(cleaned.charAt(0)) && cleaned.charAt(0) != '_') {
            cleaned = "db_" + cleaned;
        }
        if (cleaned.length() + suffix.length() > MAX_IDENTIFIER_LENGTH) {
            cleaned = cleaned.substring(0, MAX_IDENTIFIER_LENGTH - suffix.length());
        }
        return cleaned + suffix;
    }

    /** A statement that writes the lines of a PEM file (base64 and dashes only) to {@code target} on the server. */
    private static String copyLines(Path pem, String target) {
        List<String> lines;
        try {
            lines = Files.readAllLines(pem, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + pem, e);
        }
        StringBuilder array = new StringBuilder();
        for (String line : lines) {
            array.append(array.length() == 0 ? "" : ", ").append(quoteLiteral(line));
        }
        return "COPY (SELECT line FROM unnest(ARRAY[" + array + "]::text[]) WITH ORDINALITY AS pem(line, n) ORDER BY n)"
                + " TO " + quoteLiteral(target);
    }

    private static String quoteLiteral(String text) {
        return "'" + text.replace("'", "''") + "'";
    }

    private static String quoteIdentifier(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }

    private String describe(String database) {
        return host() + ":" + port() + "/" + database;
    }

    private IllegalStateException failure(String what, String database, SQLException e) {
        return new IllegalStateException(what + " failed on " + describe(database) + ": " + e.getMessage()
                + " (SQLSTATE " + e.getSQLState() + ")", e);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}

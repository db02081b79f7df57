package io.pgflo.wal;

import io.pgflo.sink.api.ConfigurationException;
import io.pgflo.domain.DatabaseEndpoint;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import org.postgresql.PGProperty;

/** Opens JDBC connections to the source and turns connection failures into messages a user can act on. */
final class PgConnections {
    private PgConnections() {}

    /**
     * A regular connection, without the server's {@code idle_session_timeout} (PostgreSQL 14+): the stream keeps it
     * for lookups (a type a DDL change brought in) that may come after hours without any.
     */
    static Connection open(DatabaseEndpoint endpoint, String applicationName) {
        Connection connection = connect(endpoint, properties(endpoint, applicationName));
        try {
            if (connection.getMetaData().getDatabaseMajorVersion() >= 14) {
                try (Statement statement = connection.createStatement()) {
                    statement.execute("SET idle_session_timeout = 0");
                }
            }
            return connection;
        } catch (SQLException e) {
            try {
                connection.close();
            } catch (SQLException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw new ConfigurationException("cannot turn off idle_session_timeout for pg_flo's session on "
                    + endpoint.describe() + ": " + firstLine(e.getMessage()), e);
        }
    }

    static Connection openReplication(DatabaseEndpoint endpoint, String applicationName) {
        Properties properties = properties(endpoint, applicationName);
        PGProperty.REPLICATION.set(properties, "database");
        PGProperty.ASSUME_MIN_SERVER_VERSION.set(properties, "10");
        PGProperty.PREFER_QUERY_MODE.set(properties, "simple");
        return connect(endpoint, properties);
    }

    private static Properties properties(DatabaseEndpoint endpoint, String applicationName) {
        Properties properties = new Properties();
        PGProperty.USER.set(properties, endpoint.user());
        if (endpoint.password() != null) {
            PGProperty.PASSWORD.set(properties, endpoint.password());
        }
        PGProperty.APPLICATION_NAME.set(properties, applicationName);
        PGProperty.CONNECT_TIMEOUT.set(properties, 10);
        PGProperty.TCP_KEEP_ALIVE.set(properties, true);
        if (endpoint.sslMode() != null) {
            PGProperty.SSL_MODE.set(properties, endpoint.sslMode());
        }
        if (endpoint.sslRootCert() != null) {
            PGProperty.SSL_ROOT_CERT.set(properties, endpoint.sslRootCert());
        }
        return properties;
    }

    private static Connection connect(DatabaseEndpoint endpoint, Properties properties) {
        String url = "jdbc:postgresql://" + hostForUrl(endpoint.host()) + ":" + endpoint.port() + "/";
        try {
            return DriverManager.getConnection(url + encode(endpoint.database()), properties);
        } catch (SQLException e) {
            throw connectionFailure(endpoint, e);
        }
    }

    static ConfigurationException connectionFailure(DatabaseEndpoint endpoint, SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        String where = endpoint.describe();
        String reason = switch (state) {
            case "28P01" -> "password authentication failed; check --user and --password (or PGFLO_PASSWORD)";
            case "28000" -> "the server refused this user (pg_hba.conf); allow the user to connect, with replication";
            case "3D000" -> "database does not exist; check --dbname";
            case "08001", "08004", "08006" -> "server not reachable (" + firstLine(e.getMessage())
                    + "); check --host and --port and that PostgreSQL is running";
            default -> firstLine(e.getMessage());
        };
        return new ConfigurationException("cannot connect to " + where + ": " + reason, e);
    }

    static String firstLine(String message) {
        if (message == null) {
            return "no message";
        }
        int newline = message.indexOf('\n');
        return (newline < 0 ? message : message.substring(0, newline)).trim();
    }

    private static String hostForUrl(String host) {
        return host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host;
    }

    private static String encode(String database) {
        return java.net.URLEncoder.encode(database, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20");
    }
}

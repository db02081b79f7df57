package io.pgflo.sink.postgres;

import io.pgflo.sink.api.ConfigurationException;
import io.pgflo.domain.DatabaseEndpoint;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;
import org.postgresql.PGProperty;

/** Opens JDBC connections to the target or the source, and words connection failures for a user. */
final class PgConnections {
    private PgConnections() {}

    /** A connection, or a {@link ConfigurationException} that says which flag to check (never the password). */
    static Connection open(DatabaseEndpoint endpoint, String applicationName, String role) {
        try {
            return connect(endpoint, applicationName);
        } catch (SQLException e) {
            throw connectionFailure(endpoint, role, e);
        }
    }

    /** A connection, or the driver's exception (for reconnects, where a failure may be transient). */
    static Connection connect(DatabaseEndpoint endpoint, String applicationName) throws SQLException {
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
        String host = endpoint.host().indexOf(':') >= 0 && !endpoint.host().startsWith("[")
                ? "[" + endpoint.host() + "]"
                : endpoint.host();
        String database = URLEncoder.encode(endpoint.database(), StandardCharsets.UTF_8).replace("+", "%20");
        return DriverManager.getConnection("jdbc:postgresql://" + host + ":" + endpoint.port() + "/" + database, properties);
    }

    static ConfigurationException connectionFailure(DatabaseEndpoint endpoint, String role, SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        String flags = role.equals("target") ? "--target-" : "--";
        String reason = switch (state) {
            case "28P01" -> "password authentication failed; check " + flags + "user and " + flags + "password";
            case "28000" -> "the server refused this user (pg_hba.conf)";
            case "3D000" -> "database does not exist; check " + flags + "dbname";
            case "08001", "08004", "08006" -> "server not reachable (" + SqlStates.firstLine(e.getMessage())
                    + "); check " + flags + "host and " + flags + "port and that PostgreSQL is running";
            default -> SqlStates.firstLine(e.getMessage());
        };
        return new ConfigurationException("cannot connect to the " + role + " " + endpoint.describe() + ": " + reason, e);
    }
}

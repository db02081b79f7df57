package io.pgflo.sink.postgres;

import io.pgflo.sink.api.ConfigurationException;
import io.pgflo.domain.ConnectionFailure;
import io.pgflo.domain.DatabaseEndpoint;
import io.pgflo.domain.PasswordLookup;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import java.util.Properties;
import org.postgresql.PGProperty;
import org.postgresql.util.GT;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens JDBC connections to the target or the source, with the password libpq would use (see {@link PasswordLookup}),
 * and words connection failures for a user.
 */
final class PgConnections {
    /** The source as the sink reaches it, for its checks and schema sync: the source's flags. */
    static final ConnectionFailure.Role SOURCE = new ConnectionFailure.Role("the source ", "--", "PGFLO_");
    static final ConnectionFailure.Role TARGET = ConnectionFailure.Role.TARGET;

    private static final Logger log = LoggerFactory.getLogger(PgConnections.class);
    private static final PasswordLookup PROCESS_PASSWORDS = PasswordLookup.ofThisProcess(log::warn);
    // pgjdbc logs through java.util.logging, whose default handler writes to stderr: a certificate for another host
    // alone puts a stack of lines there, beside the exception that becomes our one-line message. The field keeps the
    // logger, which java.util.logging holds only weakly, and with it the level.
    private static final java.util.logging.Logger DRIVER_LOG = quietDriverLog();

    private PgConnections() {}

    /** A connection, or a {@link ConfigurationException} that says which flag to check (never the password). */
    static Connection open(DatabaseEndpoint endpoint, String applicationName, ConnectionFailure.Role role) {
        return open(endpoint, applicationName, role, PROCESS_PASSWORDS);
    }

    static Connection open(DatabaseEndpoint endpoint, String applicationName, ConnectionFailure.Role role,
            PasswordLookup passwords) {
        Optional<PasswordLookup.Password> password = passwords.find(endpoint);
        try {
            return connect(endpoint, applicationName, password);
        } catch (SQLException e) {
            throw ConnectionFailure.explain(e, new ConnectionFailure.Attempt(endpoint, role, password,
                    passwords.passwordFileName()), GT::tr);
        }
    }

    /** A connection, or the driver's exception (for reconnects, where a failure may be transient). */
    static Connection connect(DatabaseEndpoint endpoint, String applicationName) throws SQLException {
        return connect(endpoint, applicationName, password(endpoint));
    }

    /** The password for {@code endpoint} from the flag, {@code PGPASSWORD} or the password file, if any. */
    static Optional<PasswordLookup.Password> password(DatabaseEndpoint endpoint) {
        return PROCESS_PASSWORDS.find(endpoint);
    }

    private static Connection connect(DatabaseEndpoint endpoint, String applicationName,
            Optional<PasswordLookup.Password> password) throws SQLException {
        Properties properties = new Properties();
        PGProperty.USER.set(properties, endpoint.user());
        password.ifPresent(found -> PGProperty.PASSWORD.set(properties, found.value()));
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

    /** Leaves a level that java.util.logging's configuration gives pgjdbc (someone debugging the driver) as it is. */
    private static java.util.logging.Logger quietDriverLog() {
        java.util.logging.Logger driver = java.util.logging.Logger.getLogger("org.postgresql");
        if (driver.getLevel() == null) {
            driver.setLevel(java.util.logging.Level.OFF);
        }
        return driver;
    }

    /**
     * Turns off the session's idle, statement and transaction timeouts: pg_flo's sessions wait, idle and often inside
     * a transaction, for as long as the source keeps a transaction open or pg_dump reads it, and a target-wide
     * timeout would end that work and meet the same wait again on every restart.
     */
    static void turnOffTimeouts(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("SET idle_in_transaction_session_timeout = 0");
            statement.execute("SET statement_timeout = 0");
            int version = connection.getMetaData().getDatabaseMajorVersion();
            if (version >= 14) {
                statement.execute("SET idle_session_timeout = 0");
            }
            if (version >= 17) {
                statement.execute("SET transaction_timeout = 0");
            }
        }
    }
}

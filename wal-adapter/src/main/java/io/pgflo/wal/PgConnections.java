package io.pgflo.wal;

import io.pgflo.sink.api.ConfigurationException;
import io.pgflo.domain.ConnectionFailure;
import io.pgflo.domain.DatabaseEndpoint;
import io.pgflo.domain.PasswordLookup;
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
 * Opens JDBC connections to the source, with the password libpq would use (see {@link PasswordLookup}), and turns
 * connection failures into messages a user can act on.
 */
final class PgConnections {
    private static final Logger log = LoggerFactory.getLogger(PgConnections.class);
    private static final PasswordLookup PROCESS_PASSWORDS = PasswordLookup.ofThisProcess(log::warn);
    // pgjdbc logs through java.util.logging, whose default handler writes to stderr: a certificate for another host
    // alone puts a stack of lines there, beside the exception that becomes our one-line message. The field keeps the
    // logger, which java.util.logging holds only weakly, and with it the level.
    private static final java.util.logging.Logger DRIVER_LOG = quietDriverLog();

    private PgConnections() {}

    /**
     * A regular connection, without the server's {@code idle_session_timeout} (PostgreSQL 14+): the stream keeps it
     * for lookups (a type a DDL change brought in) that may come after hours without any.
     */
    static Connection open(DatabaseEndpoint endpoint, String applicationName) {
        return open(endpoint, applicationName, PROCESS_PASSWORDS);
    }

    static Connection open(DatabaseEndpoint endpoint, String applicationName, PasswordLookup passwords) {
        Connection connection = connect(endpoint, properties(endpoint, applicationName), passwords);
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
        return openReplication(endpoint, applicationName, PROCESS_PASSWORDS);
    }

    static Connection openReplication(DatabaseEndpoint endpoint, String applicationName, PasswordLookup passwords) {
        Properties properties = properties(endpoint, applicationName);
        PGProperty.REPLICATION.set(properties, "database");
        PGProperty.ASSUME_MIN_SERVER_VERSION.set(properties, "10");
        PGProperty.PREFER_QUERY_MODE.set(properties, "simple");
        return connect(endpoint, properties, passwords);
    }

    /**
     * Gives the session the text forms the stream's values have: timestamps and dates whatever the server's or the
     * JVM's defaults, floats that round-trip. The replication session and the initial copy's sessions both use it, so a
     * copied value is byte for byte the value the stream would have sent.
     */
    static void useStableTextForms(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("SET TimeZone = 'UTC'");
            statement.execute("SET DateStyle = 'ISO, YMD'");
            statement.execute("SET IntervalStyle = 'postgres'");
            statement.execute("SET extra_float_digits = 3");
        }
    }

    /**
     * Turns off the session's statement, idle and transaction timeouts: the initial copy's sessions stay in one
     * transaction for as long as the copy takes, and wait idle in it while others read.
     */
    static void turnOffTimeouts(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("SET statement_timeout = 0");
            statement.execute("SET idle_in_transaction_session_timeout = 0");
            int version = connection.getMetaData().getDatabaseMajorVersion();
            if (version >= 14) {
                statement.execute("SET idle_session_timeout = 0");
            }
            if (version >= 17) {
                statement.execute("SET transaction_timeout = 0");
            }
        }
    }

    private static Properties properties(DatabaseEndpoint endpoint, String applicationName) {
        Properties properties = new Properties();
        PGProperty.USER.set(properties, endpoint.user());
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

    private static Connection connect(DatabaseEndpoint endpoint, Properties properties, PasswordLookup passwords) {
        Optional<PasswordLookup.Password> password = passwords.find(endpoint);
        password.ifPresent(found -> PGProperty.PASSWORD.set(properties, found.value()));
        String url = "jdbc:postgresql://" + hostForUrl(endpoint.host()) + ":" + endpoint.port() + "/";
        try {
            return DriverManager.getConnection(url + encode(endpoint.database()), properties);
        } catch (SQLException e) {
            throw ConnectionFailure.explain(e, new ConnectionFailure.Attempt(endpoint, ConnectionFailure.Role.SOURCE,
                    password, passwords.passwordFileName()), GT::tr);
        }
    }

    static String firstLine(String message) {
        if (message == null) {
            return "no message";
        }
        int newline = message.indexOf('\n');
        return (newline < 0 ? message : message.substring(0, newline)).trim();
    }

    /** Leaves a level that java.util.logging's configuration gives pgjdbc (someone debugging the driver) as it is. */
    private static java.util.logging.Logger quietDriverLog() {
        java.util.logging.Logger driver = java.util.logging.Logger.getLogger("org.postgresql");
        if (driver.getLevel() == null) {
            driver.setLevel(java.util.logging.Level.OFF);
        }
        return driver;
    }

    private static String hostForUrl(String host) {
        return host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host;
    }

    private static String encode(String database) {
        return java.net.URLEncoder.encode(database, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20");
    }
}

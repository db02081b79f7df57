package io.pgflo.domain;

import static java.util.Objects.requireNonNull;

import io.pgflo.sink.api.ConfigurationException;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A failed connection to PostgreSQL in one line a user can act on: the endpoint's host, port, database and user, what
 * went wrong, and which flag or variable to change; never the password.
 *
 * <p>The source and the PostgreSQL sink share it, so both word a failure alike. It reads pgjdbc's exceptions by their
 * SQLSTATE and causes where those say enough. A missing password, a server without TLS, a certificate for another
 * host and an unreadable root certificate share their SQLSTATE with other failures and have no cause, so those are
 * recognised by pgjdbc's message, which pgjdbc translates into the JVM's language: the caller passes pgjdbc's
 * {@code GT::tr}, so that the patterns below are compared in the language pgjdbc used.
 */
public final class ConnectionFailure {
    // pgjdbc's message patterns (its GT.tr keys), as of pgjdbc 42.7.
    static final String NO_PASSWORD =
            "The server requested password-based authentication, but no password was provided by plugin {0}";
    static final String NO_SCRAM_PASSWORD =
            "The server requested SCRAM-based authentication, but no password was provided.";
    static final String NO_TLS = "The server does not support SSL.";
    static final String HOST_NOT_IN_CERTIFICATE = "The hostname {0} could not be verified by hostnameverifier {1}.";
    static final String ROOT_CERTIFICATE_NOT_OPENED = "Could not open SSL root certificate file {0}.";
    static final String ROOT_CERTIFICATE_NOT_READ = "Could not read SSL root certificate file {0}.";
    static final String ROOT_CERTIFICATE_NOT_LOADED = "Loading the SSL root certificate {0} into a TrustManager failed.";
    private static final List<String> ROOT_CERTIFICATE_PROBLEMS =
            List.of(ROOT_CERTIFICATE_NOT_OPENED, ROOT_CERTIFICATE_NOT_READ, ROOT_CERTIFICATE_NOT_LOADED);
    /** What pgjdbc makes of any exception during the TLS handshake (the exception is its cause). */
    static final String TLS_ERROR = "SSL error: {0}";

    private static final Pattern PLACEHOLDER = Pattern.compile("\u0000(\\d)\u0000");

    private ConnectionFailure() {}

    /** pgjdbc's {@code org.postgresql.util.GT::tr}: a message pattern in the JVM's language, filled in. */
    @FunctionalInterface
    public interface DriverText {
        String format(String pattern, Object... arguments);
    }

    /**
     * How messages name an endpoint and its settings.
     *
     * @param label put before the endpoint in messages ("the target "), or empty
     * @param flagPrefix the prefix of its flags: {@code --} ({@code --host}) or {@code --target-} ({@code --target-host})
     * @param variablePrefix the prefix of the environment variables the command line reads them from
     */
    public record Role(String label, String flagPrefix, String variablePrefix) {
        public static final Role SOURCE = new Role("", "--", "PGFLO_");
        public static final Role TARGET = new Role("the target ", "--target-", "PGFLO_TARGET_");

        public Role {
            requireNonNull(label, "label is null");
            requireNonNull(flagPrefix, "flagPrefix is null");
            requireNonNull(variablePrefix, "variablePrefix is null");
        }

        String flag(String name) {
            return flagPrefix + name;
        }

        String variable(String name) {
            return variablePrefix + name;
        }
    }

    /**
     * One attempt to connect.
     *
     * @param password the password it was made with, if any
     * @param passwordFile the password file that was (or would have been) read, as messages name it
     */
    public record Attempt(DatabaseEndpoint endpoint, Role role, Optional<PasswordLookup.Password> password,
            String passwordFile) {
        public Attempt {
            requireNonNull(endpoint, "endpoint is null");
            requireNonNull(role, "role is null");
            requireNonNull(password, "password is null");
            requireNonNull(passwordFile, "passwordFile is null");
        }
    }

    /** The failure of {@code attempt} as a {@link ConfigurationException} with one line that says what to do. */
    public static ConfigurationException explain(SQLException failure, Attempt attempt, DriverText driverText) {
        requireNonNull(failure, "failure is null");
        requireNonNull(attempt, "attempt is null");
        requireNonNull(driverText, "driverText is null");
        return new ConfigurationException("cannot connect to " + attempt.role().label() + attempt.endpoint().describe()
                + ": " + reason(failure, attempt, driverText), failure);
    }

    private static String reason(SQLException failure, Attempt attempt, DriverText driverText) {
        Role role = attempt.role();
        String state = failure.getSQLState() == null ? "" : failure.getSQLState();
        String message = failure.getMessage() == null ? "" : failure.getMessage();
        String fromState = switch (state) {
            case "28P01" -> wrongPassword(attempt);
            case "28000" -> "the server refused this user (" + firstLine(message) + ")";
            case "3D000" -> "database does not exist; check " + role.flag("dbname");
            default -> null;
        };
        if (fromState != null) {
            return fromState;
        }
        if (matches(message, driverText, NO_PASSWORD, 1) != null
                || matches(message, driverText, NO_SCRAM_PASSWORD, 0) != null) {
            return "the server asks for a password and none was given; set " + role.variable("PASSWORD") + " (or "
                    + role.flag("password") + ", PGPASSWORD, " + attempt.passwordFile() + ")";
        }
        String tls = tlsReason(failure, message, attempt, driverText);
        if (tls != null) {
            return tls;
        }
        if (state.equals("08001") || state.equals("08006")) {
            return "server not reachable (" + firstLine(message) + "); check " + role.flag("host") + " and "
                    + role.flag("port") + " and that PostgreSQL is running";
        }
        return firstLine(message);
    }

    /** What went wrong with TLS, or null if the failure is not about TLS. */
    private static String tlsReason(SQLException failure, String message, Attempt attempt, DriverText driverText) {
        Role role = attempt.role();
        DatabaseEndpoint endpoint = attempt.endpoint();
        String mode = "sslmode=" + endpoint.sslMode();
        if (matches(message, driverText, NO_TLS, 0) != null) {
            return "the server does not accept TLS, which " + mode + " requires; turn ssl on in the server's"
                    + " configuration, or choose another " + role.flag("sslmode");
        }
        if (matches(message, driverText, HOST_NOT_IN_CERTIFICATE, 2) != null) {
            return "the server's certificate is not for host " + endpoint.host() + " (" + mode + "); set "
                    + role.flag("host") + " to a name the certificate holds, or " + role.flag("sslmode")
                    + " to verify-ca";
        }
        for (String pattern : ROOT_CERTIFICATE_PROBLEMS) {
            Matcher root = matches(message, driverText, pattern, 1);
            if (root != null) {
                String file = root.group(1);
                String detail = rootCause(failure);
                // A missing file's exception says "FILE (No such file or directory)".
                if (detail.startsWith(file + " (") && detail.endsWith(")")) {
                    detail = detail.substring(file.length() + 2, detail.length() - 1);
                }
                return "cannot use the root certificate " + file + " (" + detail + ") that " + mode + " checks the"
                        + " server against; set " + role.flag("sslrootcert")
                        + " to the certificate of the CA that signed the server's";
            }
        }
        if (matches(message, driverText, TLS_ERROR, 1) != null) {
            if (isCertificateProblem(failure)) {
                return "the server's certificate is not signed by a CA in " + rootCertificate(endpoint) + " (" + mode
                        + "); set " + role.flag("sslrootcert") + " to the certificate of the CA that signed it";
            }
            return "TLS handshake failed (" + rootCause(failure) + ")";
        }
        return null;
    }

    private static String wrongPassword(Attempt attempt) {
        Role role = attempt.role();
        Optional<PasswordLookup.Password> password = attempt.password();
        if (password.isEmpty() || password.get().given()) {
            return "password authentication failed; check " + role.flag("user") + " and " + role.flag("password")
                    + " (or " + role.variable("PASSWORD") + ")";
        }
        String origin = password.get().origin();
        return "password authentication failed with the password from " + origin + "; check " + role.flag("user")
                + " and " + (origin.equals("PGPASSWORD") ? "PGPASSWORD" : "that line") + ", or set "
                + role.variable("PASSWORD");
    }

    /** Where pgjdbc looks for the root certificate when none is given. */
    private static String rootCertificate(DatabaseEndpoint endpoint) {
        return endpoint.sslRootCert() != null ? endpoint.sslRootCert() : "~/.postgresql/root.crt";
    }

    /**
     * The message, if it is pgjdbc's {@code pattern} in the language {@code driverText} formats it in, with any
     * arguments; the matcher's groups are the arguments in the order the translation places them.
     */
    static Matcher matches(String message, DriverText driverText, String pattern, int arguments) {
        Object[] placeholders = new Object[arguments];
        for (int i = 0; i < arguments; i++) {
            placeholders[i] = "\u0000" + i + "\u0000";
        }
        String formatted = driverText.format(pattern, placeholders);
        StringBuilder regex = new StringBuilder();
        Matcher placeholder = PLACEHOLDER.matcher(formatted);
        int literalStart = 0;
        while (placeholder.find()) {
            regex.append(Pattern.quote(formatted.substring(literalStart, placeholder.start()))).append("(.*)");
            literalStart = placeholder.end();
        }
        regex.append(Pattern.quote(formatted.substring(literalStart)));
        Matcher matcher = Pattern.compile(regex.toString(), Pattern.DOTALL).matcher(message);
        return matcher.matches() ? matcher : null;
    }

    /** A certificate the trust store does not accept; as the webhook sink tells it apart from other TLS failures. */
    private static boolean isCertificateProblem(Throwable failure) {
        return find(failure, CertificateException.class) != null
                || find(failure, CertPathValidatorException.class) != null
                || find(failure, CertPathBuilderException.class) != null;
    }

    private static Throwable find(Throwable failure, Class<? extends Throwable> type) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return t;
            }
        }
        return null;
    }

    private static String rootCause(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return firstLine(root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage());
    }

    /** The first line of a driver message, which may carry the server's detail and hint on further lines. */
    private static String firstLine(String message) {
        if (message == null) {
            return "no message";
        }
        int newline = message.indexOf('\n');
        return (newline < 0 ? message : message.substring(0, newline)).trim();
    }
}

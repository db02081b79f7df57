package io.pgflo.domain;

import static java.util.Objects.requireNonNull;

/**
 * Connection settings for a PostgreSQL database. {@link #toString()} never shows the password.
 *
 * @param password the password, or null (or empty) for the one {@link PasswordLookup} finds: {@code PGPASSWORD} or
 *     the password file's, as libpq would
 * @param sslMode pgjdbc's sslmode (disable, allow, prefer, require, verify-ca, verify-full), or null for the default
 * @param sslRootCert path to the root certificate, or null
 */
public record DatabaseEndpoint(
        String host, int port, String database, String user, String password, String sslMode, String sslRootCert) {
    public DatabaseEndpoint {
        requireNonNull(host, "host is null");
        requireNonNull(database, "database is null");
        requireNonNull(user, "user is null");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port must be between 1 and 65535, got " + port);
        }
    }

    /** {@code host:port/database as user}, for messages. */
    public String describe() {
        return host + ":" + port + "/" + database + " as " + user;
    }

    @Override
    public String toString() {
        return "DatabaseEndpoint[" + describe() + (password == null ? "" : ", password=***") + "]";
    }
}

package io.pgflo.examples;

import io.pgflo.domain.DatabaseEndpoint;

/**
 * A database's connection settings from the environment, under the names {@code pg_flo} itself reads
 * ({@code PGFLO_HOST}, {@code PGFLO_TARGET_HOST}, ...): a password in the environment stays out of {@code ps}.
 */
final class EnvironmentEndpoint {
    private EnvironmentEndpoint() {}

    /**
     * {@code <prefix>HOST} (localhost), {@code PORT} (5432), {@code DBNAME}, {@code USER}, and optionally
     * {@code PASSWORD}, {@code SSLMODE}, {@code SSLROOTCERT}.
     */
    static DatabaseEndpoint read(String prefix) {
        return new DatabaseEndpoint(
                valueOr(prefix + "HOST", "localhost"),
                Integer.parseInt(valueOr(prefix + "PORT", "5432")),
                required(prefix + "DBNAME"),
                required(prefix + "USER"),
                System.getenv(prefix + "PASSWORD"),
                System.getenv(prefix + "SSLMODE"),
                System.getenv(prefix + "SSLROOTCERT"));
    }

    private static String valueOr(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }

    private static String required(String name) {
        String value = System.getenv(name);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("set " + name);
        }
        return value;
    }
}

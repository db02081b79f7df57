package io.pgflo.bench;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * pg_flo with the PostgreSQL sink, and the CPU of the target backend that serves its connection: the work the native
 * subscription's apply worker does in one process (the contender's {@code cpu s}) is split here between pg_flo and
 * that backend, so the two figures together are what compares with the apply worker's.
 */
final class TargetBackendLaunch implements Launch {
    /** Looking the backend up is a connection and a query: not at every poll of the harness. */
    private static final long NANOS_BETWEEN_LOOKUPS = 100_000_000L;

    private final Launch pgFlo;
    private final Database target;
    private final String applicationName;
    private final ProcessStats backend = new ProcessStats();
    private long backendPid = -1;
    private long lastLookup;
    private Connection lookups;

    TargetBackendLaunch(Launch pgFlo, Database target, String applicationName) {
        this.pgFlo = pgFlo;
        this.target = target;
        this.applicationName = applicationName;
    }

    @Override
    public OptionalLong pid() {
        return pgFlo.pid();
    }

    @Override
    public void sample(ProcessStats stats) {
        pgFlo.sample(stats);
        long now = System.nanoTime();
        if (backendPid < 0 && (lastLookup == 0 || now - lastLookup >= NANOS_BETWEEN_LOOKUPS)) {
            lastLookup = now;
            backendPid = lookUp();
            if (backendPid > 0) {
                closeLookups();
            }
        }
        if (backendPid > 0) {
            backend.sample(backendPid);
        }
    }

    /** {@code target backend 4.2 cpu s}, or empty when the backend was never found. */
    String note() {
        Double seconds = backend.cpuSeconds();
        return seconds == null ? "" : String.format(Locale.ROOT, "target backend %.1f cpu s", seconds);
    }

    /** The newest backend of that name in the target database; one connection for all the lookups. */
    private long lookUp() {
        try {
            if (lookups == null) {
                lookups = target.connect();
            }
            try (Statement statement = lookups.createStatement();
                    ResultSet rows = statement.executeQuery("SELECT pid FROM pg_stat_activity WHERE application_name = '"
                            + applicationName.replace("'", "''") + "' AND datname = current_database()"
                            + " ORDER BY backend_start DESC LIMIT 1")) {
                return rows.next() ? rows.getLong(1) : -1;
            }
        } catch (SQLException e) {
            closeLookups();
            return -1;
        }
    }

    private void closeLookups() {
        if (lookups != null) {
            try {
                lookups.close();
            } catch (SQLException e) {
                // Only a lookup connection: nothing was written through it.
            }
            lookups = null;
        }
    }

    @Override
    public OptionalInt exitCode() {
        return pgFlo.exitCode();
    }

    @Override
    public void stop() throws Exception {
        closeLookups();
        pgFlo.stop();
    }

    @Override
    public String logTail() {
        return pgFlo.logTail();
    }

    @Override
    public Path gcLog() {
        return pgFlo.gcLog();
    }
}

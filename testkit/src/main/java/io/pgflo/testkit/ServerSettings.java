package io.pgflo.testkit;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** The server configuration both kinds of server run with, so a test behaves the same on either. */
final class ServerSettings {
    static final String SUPERUSER = "postgres";
    static final String SUPERUSER_PASSWORD = "postgres";

    /**
     * Logical decoding needs {@code wal_level=logical}; the slot and sender limits leave room for many tests creating
     * slots in one server; fsync and synchronous_commit are off because tests never survive an operating-system crash
     * anyway and both cost seconds per test run. A clean {@code restart()} still keeps every committed row.
     */
    static final Map<String, String> POSTGRES_CONFIG = createConfig();

    private ServerSettings() {}

    private static Map<String, String> createConfig() {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("wal_level", "logical");
        config.put("max_replication_slots", "64");
        config.put("max_wal_senders", "64");
        config.put("max_connections", "200");
        config.put("fsync", "off");
        config.put("synchronous_commit", "off");
        config.put("full_page_writes", "off");
        config.put("wal_sender_timeout", "60s");
        // Both kinds print timestamptz the same way only if they agree on the zone.
        config.put("timezone", "UTC");
        return Collections.unmodifiableMap(config);
    }
}

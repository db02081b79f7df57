package io.pgflo.bench;

import io.pgflo.wal.ReplicationNames;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Debezium Server's {@code config/application.properties} for one run: the PostgreSQL connector on the slot and
 * publication the harness made, the HTTP sink posting one request per event to the harness's receiver.
 *
 * @param database the source database
 * @param names the slot and publication, created by the harness before the workload
 * @param receiverUrl the harness's webhook receiver
 * @param offsetFile where Debezium keeps its offsets: a fresh file per run, so it starts at the slot's position
 */
record DebeziumServerConfig(Database database, ReplicationNames names, String receiverUrl, Path offsetFile) {
    /** Heartbeats carry the offset past a transaction that produced no record (the end marker): see below. */
    static final long HEARTBEAT_MILLIS = 100;
    /** The harness's poll interval is 20 ms; Debezium confirms the slot only when it commits offsets. */
    static final long OFFSET_FLUSH_MILLIS = 100;
    /** The environment variable the launch puts the source's password in. */
    static final String PASSWORD_VARIABLE = "PGFLO_BENCH_SOURCE_PASSWORD";

    Map<String, String> properties() {
        Map<String, String> p = new LinkedHashMap<>();
        // The sink: one POST per change event (batch mode off, its default), JSON without schemas, as pg_flo sends.
        p.put("debezium.sink.type", "http");
        p.put("debezium.sink.http.url", receiverUrl);
        p.put("debezium.sink.http.timeout.ms", "60000");
        p.put("debezium.sink.http.retries", "5");
        p.put("debezium.sink.http.retry.interval.ms", "1000");
        p.put("debezium.sink.http.batch.enabled", "false");
        p.put("debezium.format.key", "json");
        p.put("debezium.format.value", "json");
        p.put("debezium.format.key.schemas.enable", "false");
        p.put("debezium.format.value.schemas.enable", "false");

        // The source: the harness's slot and publication as they are; no snapshot, nothing created or dropped.
        p.put("debezium.source.connector.class", "io.debezium.connector.postgresql.PostgresConnector");
        p.put("debezium.source.plugin.name", "pgoutput");
        p.put("debezium.source.database.hostname", database.endpoint().host());
        p.put("debezium.source.database.port", Integer.toString(database.endpoint().port()));
        p.put("debezium.source.database.user", database.endpoint().user());
        if (database.endpoint().password() != null) {
            // Expanded by Debezium Server's configuration from its environment: no password in the run directory.
            p.put("debezium.source.database.password", "${" + PASSWORD_VARIABLE + "}");
        }
        p.put("debezium.source.database.dbname", database.endpoint().database());
        if (database.endpoint().sslMode() != null) { // a --source-url with sslmode: the same settings as pgjdbc's
            p.put("debezium.source.database.sslmode", database.endpoint().sslMode());
        }
        if (database.endpoint().sslRootCert() != null) {
            p.put("debezium.source.database.sslrootcert", database.endpoint().sslRootCert());
        }
        p.put("debezium.source.topic.prefix", "bench");
        p.put("debezium.source.table.include.list", BenchTable.SCHEMA + "." + BenchTable.NAME);
        p.put("debezium.source.slot.name", names.slot());
        p.put("debezium.source.slot.drop.on.stop", "false");
        p.put("debezium.source.publication.name", names.publication());
        p.put("debezium.source.publication.autocreate.mode", "disabled");
        p.put("debezium.source.snapshot.mode", "no_data");
        // No logical message is a workload event: not the harness's end marker, and not the heartbeats that pg_flo
        // contenders run before this one wrote into the same WAL (pg_flo delivers no event for either).
        p.put("debezium.source.message.prefix.exclude.list", ".*");

        // Offsets, and with them the slot's confirmed position, committed every 100 ms. The connector confirms the
        // commit LSN in the offset of the last record the sink handled; the end marker's transaction yields no
        // record, so without heartbeats its commit would be confirmed only once a later transaction brings one.
        // A heartbeat record carries the offset past it (lsn_commit = the marker's commit end, the harness's end).
        // The sink POSTs heartbeats like any record: Debezium cannot commit the offset of a record an SMT dropped
        // (tried: a Filter on the heartbeat topic left the slot short of the end), so the receiver tells them
        // apart ({"ts_ms":...} alone) and counts them as heartbeats, not events.
        p.put("debezium.source.offset.storage", "org.apache.kafka.connect.storage.FileOffsetBackingStore");
        p.put("debezium.source.offset.storage.file.filename", offsetFile.toString());
        p.put("debezium.source.offset.flush.interval.ms", Long.toString(OFFSET_FLUSH_MILLIS));
        p.put("debezium.source.heartbeat.interval.ms", Long.toString(HEARTBEAT_MILLIS));
        // No health endpoint on a fixed port (8080 may be taken); logs as plain text.
        p.put("quarkus.http.port", "0");
        p.put("quarkus.log.console.stderr", "true");
        p.put("quarkus.log.level", "INFO");
        return p;
    }

    /** The file's text: {@code key=value} lines, backslashes escaped as {@code java.util.Properties} reads them. */
    String render() {
        StringBuilder text = new StringBuilder("# Written by the pg_flo benchmark harness for one run.\n");
        properties().forEach((key, value) -> text.append(key).append('=').append(value.replace("\\", "\\\\")).append('\n'));
        return text.toString();
    }
}

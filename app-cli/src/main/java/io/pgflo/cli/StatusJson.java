package io.pgflo.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.pgflo.nats.StreamStatus;
import io.pgflo.sink.api.Lsn;
import io.pgflo.sink.api.TableName;
import io.pgflo.wal.GroupStatus;
import io.pgflo.wal.ReplicationNames;
import java.io.IOException;
import java.io.PrintStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * {@code pg_flo status --json}: the same as {@link StatusText}, as one JSON object on one line, for scripts. The fields
 * are documented in the README ("Operating pg_flo"); positions are LSN strings, sizes and lags whole bytes, times
 * ISO-8601 strings in UTC, and what is missing is {@code null} (or {@code "exists": false} for the slot and publication).
 */
final class StatusJson {
    private static final JsonFactory JSON = new JsonFactory();

    private StatusJson() {}

    static void print(StatusReport report, PrintStream out) {
        StringWriter text = new StringWriter();
        try (JsonGenerator json = JSON.createGenerator(text)) {
            write(report, json);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot render the status as JSON", e); // a StringWriter does not fail
        }
        out.println(text);
    }

    private static void write(StatusReport report, JsonGenerator json) throws IOException {
        GroupStatus status = report.source();
        ReplicationNames names = ReplicationNames.forGroup(status.group());
        json.writeStartObject();
        json.writeStringField("group", status.group());
        json.writeStringField("source", status.source());
        json.writeStringField("server_lsn", status.serverLsn().toString());
        json.writeObjectFieldStart("slot");
        json.writeStringField("name", names.slot());
        json.writeBooleanField("exists", status.slot().isPresent());
        if (status.slot().isPresent()) {
            GroupStatus.Slot slot = status.slot().get();
            json.writeBooleanField("active", slot.active());
            numberField(json, "active_pid", slot.activePid() == null ? null : slot.activePid().longValue());
            lsnField(json, "confirmed_flush_lsn", slot.confirmedFlush());
            lsnField(json, "restart_lsn", slot.restart());
            json.writeStringField("wal_status", slot.walStatus());
            json.writeNumberField("retained_wal_bytes", slot.retainedBytes());
            numberField(json, "lag_bytes", slot.confirmedFlush() == null ? null
                    : report.behindServer(slot.confirmedFlush()));
        }
        json.writeEndObject();
        json.writeObjectFieldStart("publication");
        json.writeStringField("name", names.publication());
        json.writeBooleanField("exists", status.publication().isPresent());
        if (status.publication().isPresent()) {
            json.writeArrayFieldStart("tables");
            for (TableName table : status.publication().get().tables()) {
                json.writeStartObject();
                json.writeStringField("schema", table.schema());
                json.writeStringField("table", table.table());
                json.writeEndObject();
            }
            json.writeEndArray();
        }
        json.writeEndObject();
        json.writeFieldName("backfills");
        if (status.backfills().isEmpty()) {
            json.writeNull();
        } else {
            GroupStatus.Backfills backfills = status.backfills().get();
            json.writeStartObject();
            backfillArray(json, "pending", backfills.pending());
            backfillArray(json, "recently_completed", backfills.recentlyCompleted());
            json.writeNumberField("completed_count", backfills.completedCount());
            json.writeEndObject();
        }
        json.writeStringField("status_dir", report.statusDir().toAbsolutePath().normalize().toString());
        json.writeArrayFieldStart("checkpoints");
        for (CheckpointFiles.Checkpoint checkpoint : report.checkpoints()) {
            writeCheckpoint(report, checkpoint, json);
        }
        json.writeEndArray();
        json.writeFieldName("nats");
        if (report.stream() == null) {
            json.writeNull();
        } else {
            writeStream(report.stream(), status.serverLsn(), json);
        }
        json.writeEndObject();
    }

    private static void writeStream(StreamStatus stream, Lsn server, JsonGenerator json) throws IOException {
        json.writeStartObject();
        json.writeStringField("stream", stream.stream());
        json.writeNumberField("messages", stream.messages());
        json.writeNumberField("bytes", stream.bytes());
        json.writeNumberField("first_sequence", stream.firstSequence());
        json.writeNumberField("last_sequence", stream.lastSequence());
        json.writeStringField("storage", stream.storage());
        json.writeNumberField("replicas", stream.replicas());
        json.writeObjectFieldStart("replicator");
        json.writeStringField("published", stream.published() == null ? null : stream.published().toString());
        timeField(json, "last_published_at", stream.lastPublished());
        numberField(json, "lag_bytes", stream.replicatorLagBytes(server));
        json.writeEndObject();
        json.writeArrayFieldStart("consumers");
        for (StreamStatus.Consumer consumer : stream.consumers()) {
            json.writeStartObject();
            json.writeStringField("name", consumer.name());
            json.writeStringField("subject", consumer.subject());
            json.writeNumberField("pending", consumer.pending());
            json.writeNumberField("ack_pending", consumer.unacknowledged());
            json.writeNumberField("ack_floor", consumer.acknowledgedUpTo());
            json.writeEndObject();
        }
        json.writeEndArray();
        json.writeEndObject();
    }

    private static void backfillArray(JsonGenerator json, String name, List<GroupStatus.Backfill> backfills)
            throws IOException {
        json.writeArrayFieldStart(name);
        for (GroupStatus.Backfill backfill : backfills) {
            json.writeStartObject();
            json.writeNumberField("id", backfill.id());
            json.writeStringField("schema", backfill.table().schema());
            json.writeStringField("table", backfill.table().table());
            json.writeStringField("where", backfill.predicate());
            json.writeNumberField("rows_done", backfill.rowsDone());
            timeField(json, "requested_at", backfill.requestedAt());
            timeField(json, "updated_at", backfill.updatedAt());
            timeField(json, "completed_at", backfill.completedAt());
            json.writeEndObject();
        }
        json.writeEndArray();
    }

    private static void writeCheckpoint(StatusReport report, CheckpointFiles.Checkpoint checkpoint, JsonGenerator json)
            throws IOException {
        json.writeStartObject();
        json.writeStringField("sink", checkpoint.sink());
        json.writeStringField("file", checkpoint.file());
        lsnField(json, "lsn", checkpoint.lsn());
        numberField(json, "lag_bytes", checkpoint.lsn() == null ? null : report.behindServer(checkpoint.lsn()));
        json.writeObjectFieldStart("fields");
        for (Map.Entry<String, String> field : checkpoint.fields().entrySet()) {
            json.writeStringField(field.getKey(), field.getValue());
        }
        json.writeEndObject();
        json.writeStringField("error", checkpoint.problem());
        json.writeEndObject();
    }

    /** {@code value}, or {@code null} when it is unknown. */
    private static void numberField(JsonGenerator json, String name, Long value) throws IOException {
        json.writeFieldName(name);
        if (value == null) {
            json.writeNull();
        } else {
            json.writeNumber(value);
        }
    }

    private static void lsnField(JsonGenerator json, String name, Lsn lsn) throws IOException {
        json.writeStringField(name, lsn == null ? null : lsn.toString());
    }

    private static void timeField(JsonGenerator json, String name, Instant time) throws IOException {
        json.writeStringField(name, time == null ? null : time.toString());
    }
}

package io.pgflo.json;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import io.pgflo.sink.api.ChangeEvent;
import io.pgflo.sink.api.EventEncoder;
import io.pgflo.sink.api.ColumnValue;
import io.pgflo.sink.api.Lsn;
import io.pgflo.sink.api.Operation;
import io.pgflo.sink.api.Row;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * The one JSON encoding of a {@link ChangeEvent}, shared by every sink that writes JSON.
 *
 * <p>A compact object: {@code {"type":"UPDATE","schema":"public","table":"users","lsn":"0/16B3748",
 * "commit_lsn":"0/16B3800","xid":123,"commit_time":"2026-11-24T12:00:00.123456Z","ordinal":0,"key":["id"],
 * "data":{...},"old_data":{...},"unchanged_toast":["big_col"],"ddl":"..."}}, where {@code data}, {@code old_data},
 * {@code unchanged_toast} and {@code ddl} appear only when they have something to say. Column values map to the
 * natural JSON type where one exists (see the module README for the table); the rest stay PostgreSQL's text.
 *
 * <p>Thread-safe and stateless. Writes with Jackson's streaming generator only: this is the hot path of every JSON
 * sink. To write many events to one stream, use {@link JsonLinesWriter}, which keeps one generator for all of them.
 */
public final class EventJsonEncoder implements EventEncoder {

    /**
     * Thread-safe once built. Its generators never close or flush the caller's stream, and write nothing between
     * root values: the caller decides on newlines.
     *
     * <p>COMBINE_UNICODE_SURROGATES_IN_UTF8 stays off although it would write emoji as plain UTF-8: in Jackson 2.18
     * it merges a lone surrogate with the next character into a wrong code point, while the default writes
     * characters beyond the BMP as a pair of escaped surrogates, which every JSON parser decodes.
     */
    static final JsonFactory FACTORY = new JsonFactoryBuilder()
            .disable(StreamWriteFeature.AUTO_CLOSE_TARGET)
            .disable(StreamWriteFeature.FLUSH_PASSED_TO_STREAM)
            .rootValueSeparator((String) null)
            .build();

    private static final SerializableString TYPE = new SerializedString("type");
    private static final SerializableString SCHEMA = new SerializedString("schema");
    private static final SerializableString TABLE = new SerializedString("table");
    private static final SerializableString LSN = new SerializedString("lsn");
    private static final SerializableString COMMIT_LSN = new SerializedString("commit_lsn");
    private static final SerializableString XID = new SerializedString("xid");
    private static final SerializableString COMMIT_TIME = new SerializedString("commit_time");
    private static final SerializableString ORDINAL = new SerializedString("ordinal");
    private static final SerializableString KEY = new SerializedString("key");
    private static final SerializableString DATA = new SerializedString("data");
    private static final SerializableString OLD_DATA = new SerializedString("old_data");
    private static final SerializableString UNCHANGED_TOAST = new SerializedString("unchanged_toast");
    private static final SerializableString DDL = new SerializedString("ddl");
    private static final SerializableString[] OPERATION_NAMES = operationNames();

    /** Writes one compact JSON object, without a trailing newline. Neither flushes nor closes {@code out}. */
    @Override
    public void write(ChangeEvent event, OutputStream out) throws IOException {
        requireNonNull(event, "event is null");
        requireNonNull(out, "out is null");
        try (JsonGenerator generator = FACTORY.createGenerator(out)) {
            writeEvent(generator, event);
        }
    }

    /** The event as UTF-8 JSON. */
    @Override
    public byte[] encode(ChangeEvent event) {
        requireNonNull(event, "event is null");
        ByteArrayBuilder bytes = new ByteArrayBuilder(512);
        try (JsonGenerator generator = FACTORY.createGenerator(bytes)) {
            writeEvent(generator, event);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode event at " + event.lsn() + " on " + event.qualifiedTable(), e);
        }
        return bytes.toByteArray();
    }

    /** The events as one JSON array, in list order (webhook batch mode). */
    @Override
    public byte[] encodeArray(List<ChangeEvent> events) {
        requireNonNull(events, "events is null");
        ByteArrayBuilder bytes = new ByteArrayBuilder(512 * Math.max(1, Math.min(events.size(), 1024)));
        try {
            writeArray(events, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode a batch of " + events.size() + " events", e);
        }
        return bytes.toByteArray();
    }

    /** Writes the events as one JSON array, in list order. Neither flushes nor closes {@code out}. */
    @Override
    public void writeArray(List<ChangeEvent> events, OutputStream out) throws IOException {
        requireNonNull(events, "events is null");
        requireNonNull(out, "out is null");
        try (JsonGenerator generator = FACTORY.createGenerator(out)) {
            generator.writeStartArray();
            for (ChangeEvent event : events) {
                writeEvent(generator, requireNonNull(event, "events contains null"));
            }
            generator.writeEndArray();
        }
    }

    static void writeEvent(JsonGenerator generator, ChangeEvent event) throws IOException {
        generator.writeStartObject();
        generator.writeFieldName(TYPE);
        generator.writeString(OPERATION_NAMES[event.operation().ordinal()]);
        generator.writeFieldName(SCHEMA);
        generator.writeString(event.schema());
        generator.writeFieldName(TABLE);
        generator.writeString(event.table());
        generator.writeFieldName(LSN);
        writeLsn(generator, event.lsn());
        generator.writeFieldName(COMMIT_LSN);
        writeLsn(generator, event.commitLsn());
        generator.writeFieldName(XID);
        generator.writeNumber(event.xid());
        generator.writeFieldName(COMMIT_TIME);
        char[] time = new char[InstantText.MAX_LENGTH];
        generator.writeString(time, 0, InstantText.write(event.commitTime(), time));
        generator.writeFieldName(ORDINAL);
        generator.writeNumber(event.ordinal());
        generator.writeFieldName(KEY);
        writeStrings(generator, event.keyColumns());
        if (event.newRow() != null) {
            generator.writeFieldName(DATA);
            writeRow(generator, event.newRow());
        }
        if (event.oldRow() != null) {
            generator.writeFieldName(OLD_DATA);
            writeRow(generator, event.oldRow());
        }
        List<String> unchangedToast = event.unchangedToastColumns();
        if (!unchangedToast.isEmpty()) {
            generator.writeFieldName(UNCHANGED_TOAST);
            writeStrings(generator, unchangedToast);
        }
        if (event.operation() == Operation.DDL) {
            generator.writeFieldName(DDL);
            generator.writeString(event.ddl());
        }
        generator.writeEndObject();
    }

    /** An unchanged TOAST value is unknown here, so the column is left out rather than written as a wrong null. */
    private static void writeRow(JsonGenerator generator, Row row) throws IOException {
        generator.writeStartObject();
        List<ColumnValue> values = row.values();
        for (int i = 0, n = values.size(); i < n; i++) {
            ColumnValue value = values.get(i);
            if (!value.unchangedToast()) {
                generator.writeFieldName(value.name());
                PgValueWriter.write(generator, value.type(), value.text());
            }
        }
        generator.writeEndObject();
    }

    private static void writeStrings(JsonGenerator generator, List<String> strings) throws IOException {
        generator.writeStartArray();
        for (int i = 0, n = strings.size(); i < n; i++) {
            generator.writeString(strings.get(i));
        }
        generator.writeEndArray();
    }

    /** The server's {@code X/Y} form, as {@link Lsn#toString()} prints it, without its intermediate strings. */
    private static void writeLsn(JsonGenerator generator, Lsn lsn) throws IOException {
        char[] chars = new char[Lsn.MAX_TEXT_LENGTH];
        generator.writeString(chars, 0, lsn.writeTo(chars, 0));
    }

    private static SerializableString[] operationNames() {
        Operation[] operations = Operation.values();
        SerializableString[] names = new SerializableString[operations.length];
        for (Operation operation : operations) {
            names[operation.ordinal()] = new SerializedString(operation.name());
        }
        return names;
    }
}

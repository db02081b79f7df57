package io.pgflo.nats;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.pgflo.domain.SourceChange;
import io.pgflo.sink.api.Column;
import io.pgflo.sink.api.ColumnType;
import io.pgflo.sink.api.ColumnValue;
import io.pgflo.sink.api.Lsn;
import io.pgflo.sink.api.Operation;
import io.pgflo.sink.api.Position;
import io.pgflo.sink.api.Row;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The compact JSON of a {@link WireMessage} (version 1; the README documents it field by field). Values travel as
 * PostgreSQL's own text with their column's type, so a worker's sink sees exactly what a single process's would: the
 * event JSON maps values to JSON types and could not give the PostgreSQL sink its text back. Each message lists the
 * column sets its rows use once ({@code cols}), and rows name theirs by index.
 */
final class WireFormat {
    static final int VERSION = 1;
    private static final JsonFactory JSON = new JsonFactory();

    private WireFormat() {}

    static byte[] encode(WireMessage message) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(4096);
        Map<List<Column>, Integer> columnSets = new HashMap<>();
        List<List<Column>> ordered = new ArrayList<>();
        try (JsonGenerator json = JSON.createGenerator(out)) {
            json.writeStartObject();
            json.writeNumberField("v", VERSION);
            json.writeNumberField("p", message.partition());
            json.writeNumberField("n", message.counter());
            json.writeStringField("prev", message.previous().toString());
            json.writeStringField("end", message.end().toString());
            json.writeStringField("pos", message.progress().toString());
            if (!message.marks().isEmpty()) {
                json.writeArrayFieldStart("marks");
                for (PartitionMark mark : message.marks()) {
                    json.writeStartArray();
                    json.writeNumber(mark.counter());
                    json.writeString(mark.end().toString());
                    json.writeEndArray();
                }
                json.writeEndArray();
            }
            json.writeArrayFieldStart("txs");
            for (WireTransaction transaction : message.transactions()) {
                json.writeStartObject();
                json.writeStringField("c", transaction.commitLsn().toString());
                json.writeNumberField("x", transaction.xid());
                json.writeStringField("t", transaction.commitTime().toString());
                if (transaction.ends()) {
                    json.writeStringField("e", transaction.endLsn().toString());
                }
                json.writeArrayFieldStart("ev");
                for (SourceChange event : transaction.events()) {
                    writeEvent(json, event, columnSets, ordered);
                }
                json.writeEndArray();
                json.writeEndObject();
            }
            json.writeEndArray();
            // Last, so that rows can add to it as they are written; a reader keeps rows until it has it.
            json.writeArrayFieldStart("cols");
            for (List<Column> columns : ordered) {
                json.writeStartArray();
                for (Column column : columns) {
                    json.writeStartArray();
                    json.writeString(column.name());
                    json.writeNumber(column.type().oid());
                    json.writeString(column.type().name());
                    json.writeNumber(column.type().baseOid());
                    json.writeNumber(column.type().elementOid());
                    json.writeBoolean(column.partOfKey());
                    json.writeEndArray();
                }
                json.writeEndArray();
            }
            json.writeEndArray();
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode a message of partition " + message.partition(), e);
        }
        return out.toByteArray();
    }

    private static void writeEvent(JsonGenerator json, SourceChange event, Map<List<Column>, Integer> columnSets,
            List<List<Column>> ordered) throws IOException {
        json.writeStartObject();
        json.writeStringField("o", event.operation().name());
        json.writeStringField("s", event.schema());
        json.writeStringField("t", event.table());
        json.writeStringField("l", event.lsn().toString());
        json.writeNumberField("i", event.ordinal());
        json.writeArrayFieldStart("k");
        for (String key : event.keyColumns()) {
            json.writeString(key);
        }
        json.writeEndArray();
        if (event.newRow() != null) {
            json.writeFieldName("n");
            writeRow(json, event.newRow(), columnSets, ordered);
        }
        if (event.oldRow() != null) {
            json.writeFieldName("d");
            writeRow(json, event.oldRow(), columnSets, ordered);
        }
        if (event.ddl() != null) {
            json.writeStringField("ddl", event.ddl());
        }
        json.writeEndObject();
    }

    private static void writeRow(JsonGenerator json, Row row, Map<List<Column>, Integer> columnSets,
            List<List<Column>> ordered) throws IOException {
        List<Column> columns = new ArrayList<>(row.size());
        for (ColumnValue value : row.values()) {
            columns.add(value.column());
        }
        Integer index = columnSets.get(columns);
        if (index == null) {
            index = ordered.size();
            columnSets.put(columns, index);
            ordered.add(columns);
        }
        json.writeStartObject();
        json.writeNumberField("c", index);
        json.writeArrayFieldStart("v");
        List<Integer> toast = null;
        for (int i = 0; i < row.size(); i++) {
            ColumnValue value = row.values().get(i);
            byte[] utf8 = value.utf8OrNull();
            if (utf8 != null) {
                json.writeUTF8String(utf8, 0, utf8.length);
            } else if (value.text() != null) {
                json.writeString(value.text());
            } else {
                json.writeNull();
                if (value.unchangedToast()) {
                    toast = toast == null ? new ArrayList<>(2) : toast;
                    toast.add(i);
                }
            }
        }
        json.writeEndArray();
        if (toast != null) {
            json.writeArrayFieldStart("u");
            for (int i : toast) {
                json.writeNumber(i);
            }
            json.writeEndArray();
        }
        json.writeEndObject();
    }

    /** Reads a message back; throws {@link IllegalArgumentException} saying what is wrong with one that is not ours. */
    static WireMessage decode(byte[] data) {
        try (JsonParser json = JSON.createParser(data)) {
            return new Reader(json).message();
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("not a pg_flo message (" + e.getMessage() + ")", e);
        }
    }

    /** A row as read, before the column sets (written after the rows) are known. */
    private record RawRow(int columnSet, List<String> values, List<Integer> toast) {}

    /** An event as read, its rows still raw. */
    private record RawEvent(Operation operation, String schema, String table, Lsn lsn, int ordinal, List<String> key,
            RawRow newRow, RawRow oldRow, String ddl) {}

    private record RawTransaction(long xid, Lsn commitLsn, Instant commitTime, Lsn endLsn, List<RawEvent> events) {}

    private static final class Reader {
        private final JsonParser json;

        Reader(JsonParser json) {
            this.json = json;
        }

        WireMessage message() throws IOException {
            expect(json.nextToken(), JsonToken.START_OBJECT);
            int version = -1;
            int partition = 0;
            long counter = 0;
            Position previous = null;
            Position end = null;
            Position progress = null;
            List<RawTransaction> transactions = new ArrayList<>();
            List<PartitionMark> marks = new ArrayList<>();
            List<List<Column>> columnSets = new ArrayList<>();
            while (json.nextToken() == JsonToken.FIELD_NAME) {
                String field = json.currentName();
                json.nextToken();
                switch (field) {
                    case "v" -> version = json.getIntValue();
                    case "p" -> partition = json.getIntValue();
                    case "n" -> counter = json.getLongValue();
                    case "prev" -> previous = Position.parse(json.getText());
                    case "end" -> end = Position.parse(json.getText());
                    case "pos" -> progress = Position.parse(json.getText());
                    case "marks" -> {
                        while (json.nextToken() != JsonToken.END_ARRAY) {
                            json.nextToken();
                            long markCounter = json.getLongValue();
                            json.nextToken();
                            Position markEnd = Position.parse(json.getText());
                            expect(json.nextToken(), JsonToken.END_ARRAY);
                            marks.add(new PartitionMark(markCounter, markEnd));
                        }
                    }
                    case "txs" -> {
                        while (json.nextToken() != JsonToken.END_ARRAY) {
                            transactions.add(transaction());
                        }
                    }
                    case "cols" -> {
                        while (json.nextToken() != JsonToken.END_ARRAY) {
                            columnSets.add(columnSet());
                        }
                    }
                    default -> json.skipChildren();
                }
            }
            if (version != VERSION) {
                throw new IllegalArgumentException("message version " + version + ", this pg_flo reads " + VERSION);
            }
            List<WireTransaction> built = new ArrayList<>(transactions.size());
            for (RawTransaction raw : transactions) {
                List<SourceChange> events = new ArrayList<>(raw.events().size());
                for (RawEvent event : raw.events()) {
                    events.add(new SourceChange(event.operation(), event.schema(), event.table(), event.lsn(),
                            raw.commitLsn(), raw.xid(), raw.commitTime(), event.ordinal(), event.key(),
                            row(event.newRow(), columnSets), row(event.oldRow(), columnSets), event.ddl()));
                }
                built.add(new WireTransaction(raw.xid(), raw.commitLsn(), raw.commitTime(), raw.endLsn(), events));
            }
            return new WireMessage(partition, counter, previous, end, progress, marks, built);
        }

        private RawTransaction transaction() throws IOException {
            long xid = 0;
            Lsn commit = null;
            Instant time = null;
            Lsn endLsn = null;
            List<RawEvent> events = new ArrayList<>();
            while (json.nextToken() == JsonToken.FIELD_NAME) {
                String field = json.currentName();
                json.nextToken();
                switch (field) {
                    case "x" -> xid = json.getLongValue();
                    case "c" -> commit = Lsn.parse(json.getText());
                    case "t" -> time = Instant.parse(json.getText());
                    case "e" -> endLsn = Lsn.parse(json.getText());
                    case "ev" -> {
                        while (json.nextToken() != JsonToken.END_ARRAY) {
                            events.add(event());
                        }
                    }
                    default -> json.skipChildren();
                }
            }
            return new RawTransaction(xid, commit, time, endLsn, events);
        }

        private RawEvent event() throws IOException {
            Operation operation = null;
            String schema = null;
            String table = null;
            Lsn lsn = null;
            int ordinal = 0;
            List<String> key = List.of();
            RawRow newRow = null;
            RawRow oldRow = null;
            String ddl = null;
            while (json.nextToken() == JsonToken.FIELD_NAME) {
                String field = json.currentName();
                json.nextToken();
                switch (field) {
                    case "o" -> operation = Operation.valueOf(json.getText());
                    case "s" -> schema = json.getText();
                    case "t" -> table = json.getText();
                    case "l" -> lsn = Lsn.parse(json.getText());
                    case "i" -> ordinal = json.getIntValue();
                    case "k" -> key = strings();
                    case "n" -> newRow = rawRow();
                    case "d" -> oldRow = rawRow();
                    case "ddl" -> ddl = json.getText();
                    default -> json.skipChildren();
                }
            }
            return new RawEvent(operation, schema, table, lsn, ordinal, key, newRow, oldRow, ddl);
        }

        private RawRow rawRow() throws IOException {
            int set = -1;
            List<String> values = List.of();
            List<Integer> toast = List.of();
            while (json.nextToken() == JsonToken.FIELD_NAME) {
                String field = json.currentName();
                json.nextToken();
                switch (field) {
                    case "c" -> set = json.getIntValue();
                    case "v" -> values = strings();
                    case "u" -> {
                        toast = new ArrayList<>();
                        while (json.nextToken() != JsonToken.END_ARRAY) {
                            toast.add(json.getIntValue());
                        }
                    }
                    default -> json.skipChildren();
                }
            }
            return new RawRow(set, values, toast);
        }

        private List<Column> columnSet() throws IOException {
            List<Column> columns = new ArrayList<>();
            while (json.nextToken() != JsonToken.END_ARRAY) {
                json.nextToken();
                String name = json.getText();
                json.nextToken();
                int oid = json.getIntValue();
                json.nextToken();
                String typeName = json.getText();
                json.nextToken();
                int baseOid = json.getIntValue();
                json.nextToken();
                int elementOid = json.getIntValue();
                json.nextToken();
                boolean key = json.getBooleanValue();
                expect(json.nextToken(), JsonToken.END_ARRAY);
                columns.add(new Column(name, new ColumnType(oid, typeName, baseOid, elementOid), key));
            }
            return columns;
        }

        /** An array of strings and nulls. */
        private List<String> strings() throws IOException {
            List<String> values = new ArrayList<>();
            while (json.nextToken() != JsonToken.END_ARRAY) {
                values.add(json.currentToken() == JsonToken.VALUE_NULL ? null : json.getText());
            }
            return values;
        }

        private static Row row(RawRow raw, List<List<Column>> columnSets) {
            if (raw == null) {
                return null;
            }
            List<Column> columns = columnSets.get(raw.columnSet());
            List<ColumnValue> values = new ArrayList<>(columns.size());
            for (int i = 0; i < columns.size(); i++) {
                String text = raw.values().get(i);
                values.add(raw.toast().contains(i) ? ColumnValue.unchangedToastOf(columns.get(i))
                        : text == null ? ColumnValue.sqlNull(columns.get(i)) : ColumnValue.text(columns.get(i), text));
            }
            return new Row(values);
        }

        private static void expect(JsonToken actual, JsonToken expected) {
            if (actual != expected) {
                throw new IllegalArgumentException("expected " + expected + ", found " + actual);
            }
        }
    }
}

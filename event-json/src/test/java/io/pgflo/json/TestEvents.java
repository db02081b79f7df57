package io.pgflo.json;

import io.pgflo.domain.SourceChange;
import io.pgflo.sink.api.ChangeEvent;
import io.pgflo.sink.api.Column;
import io.pgflo.sink.api.ColumnType;
import io.pgflo.sink.api.ColumnValue;
import io.pgflo.sink.api.Lsn;
import io.pgflo.sink.api.Operation;
import io.pgflo.sink.api.Row;
import java.time.Instant;
import java.util.List;

/** Change events and column values as the decoder would hand them over. */
final class TestEvents {
    static final Lsn LSN = Lsn.parse("0/16B3748");
    static final Lsn COMMIT_LSN = Lsn.parse("0/16B3800");
    static final Instant COMMIT_TIME = Instant.parse("2026-11-24T12:00:00.123456Z");

    private TestEvents() {}

    static ColumnType type(int oid) {
        return ColumnType.ofOid(oid, "type" + oid);
    }

    static ColumnType arrayOf(int elementOid) {
        return new ColumnType(90_000 + elementOid, "type" + elementOid + "[]", 90_000 + elementOid, elementOid);
    }

    static Column column(String name, int oid) {
        return new Column(name, type(oid), false);
    }

    static ColumnValue value(String name, int oid, String text) {
        return ColumnValue.text(column(name, oid), text);
    }

    static ColumnValue sqlNull(String name, int oid) {
        return ColumnValue.sqlNull(column(name, oid));
    }

    static ColumnValue unchangedToast(String name, int oid) {
        return ColumnValue.unchangedToastOf(column(name, oid));
    }

    static Row row(ColumnValue... values) {
        return new Row(List.of(values));
    }

    static SourceChange event(Operation operation, Row newRow, Row oldRow, String ddl) {
        return new SourceChange(operation, "public", "users", LSN, COMMIT_LSN, 123, COMMIT_TIME, 0, List.of("id"),
                newRow, oldRow, ddl);
    }

    static ChangeEvent insert(ColumnValue... values) {
        return event(Operation.INSERT, row(values), null, null);
    }

    static SourceChange numberedInsert(int ordinal, String name) {
        return new SourceChange(Operation.INSERT, "public", "users", Lsn.of(0x16B3748L + ordinal), COMMIT_LSN, 123,
                COMMIT_TIME, ordinal, List.of("id"),
                row(value("id", PgTypeOids.INT4, Integer.toString(ordinal)), value("name", 25, name)), null, null);
    }

    /** One event with a column of every kind the encoder treats specially, and a few it does not. */
    static ChangeEvent insertWithEveryKindOfValue() {
        return insert(
                value("id", PgTypeOids.INT8, "9223372036854775807"),
                value("small", PgTypeOids.INT2, "-32768"),
                value("ratio", PgTypeOids.FLOAT8, "NaN"),
                value("amount", PgTypeOids.NUMERIC, "12345678901234567890.000000000001"),
                value("active", PgTypeOids.BOOL, "t"),
                value("doc", PgTypeOids.JSONB, "{\"a\": [1, 2, {\"b\": null}]}"),
                value("raw", PgTypeOids.BYTEA, "\\x0102ab"),
                value("created", PgTypeOids.TIMESTAMPTZ, "2026-11-24 12:00:00.123+00"),
                value("name", 25, "Zoë \"the\" 🐘\n"),
                sqlNull("nickname", 1043),
                ColumnValue.text(new Column("tags", arrayOf(25), false), "{\"a b\",NULL,\"NULL\"}"),
                ColumnValue.text(new Column("grid", arrayOf(PgTypeOids.INT4), false), "{{1,2},{3,NULL}}"));
    }
}

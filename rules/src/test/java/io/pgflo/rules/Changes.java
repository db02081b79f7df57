package io.pgflo.rules;

import io.pgflo.domain.SourceChange;
import io.pgflo.sink.api.Column;
import io.pgflo.sink.api.ColumnType;
import io.pgflo.sink.api.ColumnValue;
import io.pgflo.sink.api.Lsn;
import io.pgflo.sink.api.Operation;
import io.pgflo.sink.api.Row;
import io.pgflo.sink.api.TableName;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The source tables the rules tests run against, and changes of them. */
final class Changes {
    static final TableName USERS = new TableName("public", "users");
    static final TableName EVENTS = new TableName("public", "events");
    static final TableName TYPES = new TableName("app", "types");

    static final Map<TableName, List<Column>> CATALOG = Map.of(
            USERS, List.of(key("id", 23, "integer"), col("email", 25, "text"), col("phone", 1043, "character varying"),
                    col("age", 23, "integer"), col("ssn", 1042, "character"), col("name", 25, "text"),
                    col("notes", 25, "text")),
            EVENTS, List.of(key("id", 20, "bigint"), col("tenant_id", 20, "bigint"), col("payload", 3802, "jsonb")),
            TYPES, List.of(key("code", 25, "text"), col("n", 20, "bigint"), col("price", 1700, "numeric"),
                    col("ratio", 701, "double precision"), col("flag", 16, "boolean"), col("day", 1082, "date"),
                    col("at", 1184, "timestamp with time zone"), col("local", 1114, "timestamp without time zone"),
                    col("label", 25, "text"), col("uid", 2950, "uuid"),
                    new Column("mail", new ColumnType(90001, "email_address", 25, 0), false)));

    private Changes() {}

    static Column key(String name, int oid, String type) {
        return new Column(name, ColumnType.ofOid(oid, type), true);
    }

    static Column col(String name, int oid, String type) {
        return new Column(name, ColumnType.ofOid(oid, type), false);
    }

    static Column column(TableName table, String name) {
        return CATALOG.get(table).stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow();
    }

    /** A row of {@code table}: name, text pairs; a null text is SQL NULL, the text "<toast>" an unchanged TOAST value. */
    static Row row(TableName table, String... namesAndTexts) {
        List<ColumnValue> values = new ArrayList<>();
        for (int i = 0; i < namesAndTexts.length; i += 2) {
            Column column = column(table, namesAndTexts[i]);
            String text = namesAndTexts[i + 1];
            values.add(text == null ? ColumnValue.sqlNull(column)
                    : text.equals("<toast>") ? ColumnValue.unchangedToastOf(column) : ColumnValue.text(column, text));
        }
        return new Row(values);
    }

    static SourceChange change(Operation operation, TableName table, Row newRow, Row oldRow) {
        List<String> key = CATALOG.get(table).stream().filter(Column::partOfKey).map(Column::name).toList();
        return new SourceChange(operation, table.schema(), table.table(), Lsn.of(100), Lsn.of(200), 7,
                Instant.EPOCH, 3, key, newRow, oldRow, null);
    }

    static SourceChange insert(TableName table, String... namesAndTexts) {
        return change(Operation.INSERT, table, row(table, namesAndTexts), null);
    }

    static SourceChange update(TableName table, String... namesAndTexts) {
        return change(Operation.UPDATE, table, row(table, namesAndTexts), null);
    }

    static SourceChange delete(TableName table, String... namesAndTexts) {
        return change(Operation.DELETE, table, null, row(table, namesAndTexts));
    }

    /** A row's values as name=text, in order; NULL as "null", unchanged TOAST as "<toast>". */
    static Map<String, String> values(Row row) {
        Map<String, String> values = new LinkedHashMap<>();
        if (row != null) {
            for (ColumnValue value : row.values()) {
                values.put(value.name(), value.unchangedToast() ? "<toast>" : String.valueOf(value.text()));
            }
        }
        return values;
    }

    /** Rules from YAML text, written to a temporary file so errors name it. */
    static Rules rules(java.nio.file.Path dir, String yaml) throws java.io.IOException {
        java.nio.file.Path file = dir.resolve("rules.yml");
        java.nio.file.Files.writeString(file, yaml);
        return Rules.load(file);
    }

    static io.pgflo.domain.ChangeShaper shaper(java.nio.file.Path dir, String yaml) throws java.io.IOException {
        return rules(dir, yaml).shaper("public", CATALOG);
    }
}

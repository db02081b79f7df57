package io.pgflo.sink.postgres;

import static io.pgflo.sink.api.TableName.quoteIdentifier;

import io.pgflo.sink.api.Column;
import io.pgflo.sink.api.TableName;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * How a part's rows go into a table: binary COPY where the target's columns have the source's types and each has a
 * binary form ({@link BinaryValues}); text COPY where the types match but one has none; and where the target's types
 * differ, text COPY into a temporary table of the source's types, then {@code INSERT ... SELECT}, so each value is
 * cast from the source's type as the upsert path casts it (a column's input function alone could read it otherwise).
 *
 * @param copySql the COPY statement
 * @param stageSql the temporary table's creation, or null when the rows go straight in
 * @param insertSql the {@code INSERT ... SELECT} from it, or null
 */
record LoadFormat(List<Column> columns, boolean binary, String copySql, String stageSql, String insertSql) {
    private static final String STAGE = "pg_flo_copy_stage";

    /** The format for rows of {@code columns} into {@code table}, whose columns have the types {@code targetTypes}. */
    static LoadFormat of(TableName table, List<Column> columns, Map<String, String> targetTypes) {
        StringJoiner names = new StringJoiner(", ", "(", ")");
        StringJoiner stageColumns = new StringJoiner(", ", "(", ")");
        boolean sameTypes = true;
        for (Column column : columns) {
            names.add(quoteIdentifier(column.name()));
            String sourceType = CastTypes.castName(column.type());
            stageColumns.add(quoteIdentifier(column.name()) + " " + sourceType);
            sameTypes &= sourceType.equals(targetTypes.get(column.name()));
        }
        if (!sameTypes) {
            return new LoadFormat(columns, false, "COPY " + STAGE + " " + names + " FROM STDIN",
                    "CREATE TEMPORARY TABLE " + STAGE + " " + stageColumns + " ON COMMIT DROP",
                    "INSERT INTO " + table.quoted() + " " + names + " SELECT " + names.toString()
                            .substring(1, names.length() - 1) + " FROM " + STAGE);
        }
        boolean binary = BinaryCopyRows.supports(columns.stream().map(Column::type).toList());
        return new LoadFormat(columns, binary, "COPY " + table.quoted() + " " + names + " FROM STDIN"
                + (binary ? " (FORMAT binary)" : ""), null, null);
    }
}

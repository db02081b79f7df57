package io.pgflo.wal;

import io.pgflo.sink.api.Column;
import io.pgflo.sink.api.ColumnType;
import io.pgflo.sink.api.ColumnValue;
import io.pgflo.sink.api.Row;
import io.pgflo.wal.PgOutputMessage.Relation;
import io.pgflo.wal.PgOutputMessage.RelationColumn;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntFunction;

/**
 * What the stream said about a table, with its columns' types resolved, and each column's NULL and unchanged-TOAST
 * values made once (they carry nothing but the column) rather than for every row.
 *
 * <p>The initial copy describes its tables with the same {@link Relation} built from the catalog, and makes its rows
 * with the same {@link #row}, so that a copied value and a streamed one are the same to every sink.
 *
 * @param schemaChanges whether this is the DDL capture's table, whose rows are schema changes, not data
 */
record RelationInfo(String schema, String table, char replicaIdentity, List<Column> columns, List<String> keyColumns,
        List<ColumnValue> nulls, List<ColumnValue> unchangedToasts, boolean schemaChanges) {

    RelationInfo(String schema, String table, char replicaIdentity, List<Column> columns, List<String> keyColumns) {
        this(schema, table, replicaIdentity, columns, keyColumns,
                columns.stream().map(ColumnValue::sqlNull).toList(),
                columns.stream().map(ColumnValue::unchangedToastOf).toList(),
                DdlCapture.CHANGES.schema().equals(schema) && DdlCapture.CHANGES.table().equals(table));
    }

    /** The table a Relation message describes, its key the columns the message marks. */
    static RelationInfo describe(Relation relation, IntFunction<ColumnType> types) {
        List<Column> columns = new ArrayList<>(relation.columns().size());
        List<String> keys = new ArrayList<>();
        for (RelationColumn column : relation.columns()) {
            columns.add(new Column(column.name(), types.apply(column.typeOid()), column.partOfKey()));
            if (column.partOfKey()) {
                keys.add(column.name());
            }
        }
        return new RelationInfo(relation.namespace(), relation.name(), relation.replicaIdentity(), List.copyOf(columns),
                List.copyOf(keys));
    }

    /** A row of this table from its text tuple; with {@code keyOnly}, of the key columns alone (an old key). */
    Row row(TupleData tuple, boolean keyOnly) {
        int count = Math.min(columns.size(), tuple.size());
        ColumnValue[] values = new ColumnValue[count];
        int size = 0;
        for (int i = 0; i < count; i++) {
            Column column = columns.get(i);
            if (keyOnly && !column.partOfKey()) {
                continue;
            }
            values[size++] = switch (tuple.kind(i)) {
                case TupleData.TEXT -> ColumnValue.utf8(column, tuple.utf8(i));
                case TupleData.UNCHANGED_TOAST -> unchangedToasts.get(i);
                default -> nulls.get(i);
            };
        }
        return new Row(size == count ? List.of(values) : List.of(Arrays.copyOf(values, size)));
    }
}

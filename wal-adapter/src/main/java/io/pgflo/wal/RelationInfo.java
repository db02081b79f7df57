package io.pgflo.wal;

import io.pgflo.sink.api.Column;
import io.pgflo.sink.api.ColumnValue;
import java.util.List;

/**
 * What the stream said about a table, with its columns' types resolved, and each column's NULL and unchanged-TOAST
 * values made once (they carry nothing but the column) rather than for every row.
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
}

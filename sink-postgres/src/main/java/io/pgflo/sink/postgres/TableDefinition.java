package io.pgflo.sink.postgres;

import io.pgflo.sink.api.TableName;
import java.util.List;

/**
 * A source table's definition as the source's DDL capture read it from the catalog: every expression and type in it is
 * the server's own deparsed text, schema-qualified, never a client's statement.
 */
record TableDefinition(String schema, String table, List<ColumnDefinition> columns,
        List<ConstraintDefinition> constraints, List<IndexDefinition> indexes) {

    TableDefinition {
        columns = List.copyOf(columns);
        constraints = List.copyOf(constraints);
        indexes = List.copyOf(indexes);
    }

    TableName name() {
        return new TableName(schema, table);
    }

    /**
     * @param num the attribute number, stable across renames
     * @param defaultExpression null when none (or when the column is generated)
     * @param generated the expression of a stored generated column, or null
     * @param identity {@code a} (always), {@code d} (by default), or null
     * @param sequence the sequence the column owns (a serial column's), or null
     */
    record ColumnDefinition(int num, String name, String type, boolean notNull, String defaultExpression,
            String generated, String identity, TableName sequence) {}

    /** @param type pg_constraint's contype: p, u, f, c or x */
    record ConstraintDefinition(long oid, String name, String type, String definition) {}

    /** @param using what follows {@code USING} in the index's definition, or null when the server's text was unusual */
    record IndexDefinition(long oid, String name, boolean unique, String using) {}
}

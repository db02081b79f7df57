package io.pgflo.rules;

import io.pgflo.sink.api.Column;
import io.pgflo.sink.api.TableName;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A source table as its catalog describes it: its columns by name, with their types and whether they are key. Or,
 * {@linkplain #keyOnly for a process without the catalog}, just the key columns a DELETE carried.
 */
record TableInfo(TableName name, Map<String, Column> columns, boolean keyOnly) {
    static TableInfo of(TableName name, List<Column> columns) {
        return new TableInfo(name, byName(columns), false);
    }

    /** The columns of a DELETE's key: a rule naming another column has nothing to act on ({@link ColumnAbsent}). */
    static TableInfo keyOnly(TableName name, List<Column> keyColumns) {
        return new TableInfo(name, byName(keyColumns), true);
    }

    private static Map<String, Column> byName(List<Column> columns) {
        Map<String, Column> byName = new LinkedHashMap<>();
        for (Column column : columns) {
            byName.put(column.name(), column);
        }
        return byName;
    }

    /**
     * The column {@code column} names, or a load error at {@code where} listing the table's columns; for a key-only
     * table, {@link ColumnAbsent} when it is not one of the key's.
     */
    Column column(Node where, String column) {
        Column found = columns.get(column);
        if (found == null) {
            if (keyOnly) {
                throw new ColumnAbsent();
            }
            throw RulesException.at(where, "table " + name + " has no column '" + column + "'; its columns are "
                    + String.join(", ", columns.keySet()));
        }
        return found;
    }

    Map<String, ValueKind> kinds() {
        Map<String, ValueKind> kinds = new LinkedHashMap<>();
        columns.forEach((name, column) -> kinds.put(name, ValueKind.of(column.type())));
        return kinds;
    }

    /** A rule names a column a key-only row does not carry: not an error, the rule just has nothing to act on. */
    static final class ColumnAbsent extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ColumnAbsent() {
            super(null, null, false, false);
        }
    }
}

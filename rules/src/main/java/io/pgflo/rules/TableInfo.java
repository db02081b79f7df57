package io.pgflo.rules;

import io.pgflo.sink.api.Column;
import io.pgflo.sink.api.TableName;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A source table as its catalog describes it: its columns by name, with their types and whether they are key. */
record TableInfo(TableName name, Map<String, Column> columns) {
    static TableInfo of(TableName name, List<Column> columns) {
        Map<String, Column> byName = new LinkedHashMap<>();
        for (Column column : columns) {
            byName.put(column.name(), column);
        }
        return new TableInfo(name, byName);
    }

    /** The column {@code column} names, or a load error at {@code where} listing the table's columns. */
    Column column(Node where, String column) {
        Column found = columns.get(column);
        if (found == null) {
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
}

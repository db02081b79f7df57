package io.pgflo.routing;

import io.pgflo.sink.api.TableName;
import java.util.ArrayList;
import java.util.List;

/**
 * A table as a routing file names it: {@code table}, {@code schema.table}, or with double quotes around a part that
 * holds a dot ({@code "my.table"}), as in SQL; unquoted names are taken as written, as pg_flo does.
 *
 * @param schema null when not given
 */
record TableRef(String schema, String table) {
    static TableRef parse(String text) {
        List<String> parts = new ArrayList<>();
        StringBuilder part = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
                    part.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    part.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == '.') {
                parts.add(part.toString());
                part.setLength(0);
            } else {
                part.append(c);
            }
        }
        parts.add(part.toString());
        if (quoted || parts.size() > 2 || parts.stream().anyMatch(String::isEmpty)) {
            throw new IllegalArgumentException("'" + text + "' is not a table name; write table or schema.table, with "
                    + "double quotes around a name that holds a dot");
        }
        return parts.size() == 1 ? new TableRef(null, parts.get(0)) : new TableRef(parts.get(0), parts.get(1));
    }

    boolean names(TableName name) {
        return table.equals(name.table()) && (schema == null || schema.equals(name.schema()));
    }

    /** This name, in {@code defaultSchema} when it has none. */
    TableName in(String defaultSchema) {
        return new TableName(schema == null ? defaultSchema : schema, table);
    }

    @Override
    public String toString() {
        return schema == null ? table : schema + "." + table;
    }
}

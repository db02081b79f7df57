package io.pgflo.sink.api;

import static java.util.Objects.requireNonNull;

/** A schema-qualified table name, unquoted. Quote with {@link #quoted()} before putting it into SQL. */
public record TableName(String schema, String table) {
    public TableName {
        requireNonNull(schema, "schema is null");
        requireNonNull(table, "table is null");
    }

    public String quoted() {
        return quoteIdentifier(schema) + "." + quoteIdentifier(table);
    }

    /** Quotes an identifier for PostgreSQL: always, so mixed case, spaces and reserved words survive. */
    public static String quoteIdentifier(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }

    @Override
    public String toString() {
        return schema + "." + table;
    }
}

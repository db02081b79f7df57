package io.pgflo.sink.postgres;

import static io.pgflo.sink.api.TableName.quoteIdentifier;

import io.pgflo.sink.postgres.RowChange.Shape;
import java.util.List;
import java.util.StringJoiner;

/**
 * The SQL for each kind of row change. Every value is bound as text and cast to its column's type, so PostgreSQL's
 * own input functions read exactly what its output functions wrote on the source. Multi-row statements take one
 * {@code text[]} parameter per column and {@code unnest} them, so the statement text (and its server-side prepared
 * plan) is the same whatever the number of rows.
 */
final class StatementSql {
    private StatementSql() {}

    /** INSERT ... SELECT FROM unnest(...) ON CONFLICT (key) DO UPDATE SET every other column. */
    static String upsert(Shape shape) {
        StringBuilder sql = insertFromUnnest(shape);
        sql.append(" ON CONFLICT (").append(columnList(shape.key())).append(") DO ");
        StringJoiner set = new StringJoiner(", ");
        for (String column : shape.columns()) {
            if (!shape.key().contains(column)) {
                set.add(quoteIdentifier(column) + " = EXCLUDED." + quoteIdentifier(column));
            }
        }
        sql.append(set.length() == 0 ? "NOTHING" : "UPDATE SET " + set);
        return sql.toString();
    }

    /** Plain INSERT ... SELECT FROM unnest(...), for tables without a key. */
    static String insert(Shape shape) {
        return insertFromUnnest(shape).toString();
    }

    /**
     * UPDATE ... SET the sent columns FROM unnest(...) WHERE key matches; with no column sent, SET the carried column
     * (one whose value was not sent) to itself.
     */
    static String update(Shape shape) {
        int columns = shape.columns().size();
        StringBuilder sql = new StringBuilder("UPDATE ").append(shape.table().quoted()).append(" AS t SET ");
        StringJoiner set = new StringJoiner(", ");
        for (int i = 0; i < columns; i++) {
            set.add(quoteIdentifier(shape.columns().get(i)) + " = " + cast("v.p" + (i + 1), shape.types().get(i)));
        }
        if (columns == 0) {
            String itself = quoteIdentifier(shape.carried().get(0));
            set.add(itself + " = t." + itself);
        }
        sql.append(set).append(" FROM ").append(unnest(columns + shape.key().size())).append(" WHERE ");
        appendKeyMatch(sql, shape, columns);
        return sql.toString();
    }

    /** DELETE ... USING unnest(...) WHERE key matches. */
    static String delete(Shape shape) {
        StringBuilder sql = new StringBuilder("DELETE FROM ").append(shape.table().quoted()).append(" AS t USING ")
                .append(unnest(shape.key().size())).append(" WHERE ");
        appendKeyMatch(sql, shape, 0);
        return sql.toString();
    }

    /**
     * Deletes the row at the old key and inserts the new row, copying the unchanged TOAST columns from the deleted
     * row. Parameters: the old key's values, then the new row's.
     */
    static String move(Shape shape) {
        StringBuilder sql = new StringBuilder("WITH moved AS (DELETE FROM ").append(shape.table().quoted())
                .append(" AS t WHERE ");
        for (int i = 0; i < shape.key().size(); i++) {
            if (i > 0) {
                sql.append(" AND ");
            }
            sql.append("t.").append(quoteIdentifier(shape.key().get(i))).append(" = ")
                    .append(cast("?::text", shape.keyTypes().get(i)));
        }
        sql.append(" RETURNING ");
        StringJoiner returning = new StringJoiner(", ");
        for (String column : shape.carried()) {
            returning.add("t." + quoteIdentifier(column));
        }
        sql.append(returning).append(") INSERT INTO ").append(shape.table().quoted()).append(" AS t (")
                .append(columnList(shape.columns()));
        for (String column : shape.carried()) {
            sql.append(", ").append(quoteIdentifier(column));
        }
        sql.append(") OVERRIDING SYSTEM VALUE SELECT ");
        StringJoiner select = new StringJoiner(", ");
        for (String type : shape.types()) {
            select.add(cast("?::text", type));
        }
        for (String column : shape.carried()) {
            select.add("moved." + quoteIdentifier(column));
        }
        sql.append(select).append(" FROM moved ON CONFLICT (").append(columnList(shape.key())).append(") DO ");
        StringJoiner set = new StringJoiner(", ");
        for (String column : shape.columns()) {
            if (!shape.key().contains(column)) {
                set.add(quoteIdentifier(column) + " = EXCLUDED." + quoteIdentifier(column));
            }
        }
        for (String column : shape.carried()) {
            set.add(quoteIdentifier(column) + " = EXCLUDED." + quoteIdentifier(column));
        }
        sql.append(set.length() == 0 ? "NOTHING" : "UPDATE SET " + set);
        return sql.toString();
    }

    /**
     * UPDATE of one row whose columns equal the old values (which one, when several are equal, does not matter: they
     * are indistinguishable). Parameters: the non-NULL old values, then the new values.
     */
    static String matchedUpdate(Shape shape, List<String> oldValues) {
        StringBuilder sql = new StringBuilder("WITH victim AS (").append(matchOne(shape, oldValues)).append(") UPDATE ")
                .append(shape.table().quoted()).append(" AS t SET ");
        StringJoiner set = new StringJoiner(", ");
        for (int i = 0; i < shape.columns().size(); i++) {
            set.add(quoteIdentifier(shape.columns().get(i)) + " = " + cast("?::text", shape.types().get(i)));
        }
        return sql.append(set).append(" FROM victim WHERE t.tableoid = victim.rel AND t.ctid = victim.tid").toString();
    }

    /** DELETE of one row whose columns equal the old values. Parameters: the non-NULL old values. */
    static String matchedDelete(Shape shape, List<String> oldValues) {
        return "WITH victim AS (" + matchOne(shape, oldValues) + ") DELETE FROM " + shape.table().quoted()
                + " AS t USING victim WHERE t.tableoid = victim.rel AND t.ctid = victim.tid";
    }

    private static String matchOne(Shape shape, List<String> oldValues) {
        StringBuilder sql = new StringBuilder("SELECT s.tableoid AS rel, s.ctid AS tid FROM ")
                .append(shape.table().quoted()).append(" AS s WHERE ");
        for (int i = 0; i < shape.key().size(); i++) {
            if (i > 0) {
                sql.append(" AND ");
            }
            String column = "s." + quoteIdentifier(shape.key().get(i));
            String type = shape.keyTypes().get(i);
            if (oldValues.get(i) == null) {
                sql.append(column).append(" IS NULL");
            } else if (shape.exactKeys().get(i)) {
                sql.append(column).append(" = ").append(cast("?::text", type));
            } else {
                sql.append(column).append("::text = ").append(cast(cast("?::text", type), "text"));
            }
        }
        return sql.append(" LIMIT 1").toString();
    }

    private static StringBuilder insertFromUnnest(Shape shape) {
        int columns = shape.columns().size();
        StringBuilder sql = new StringBuilder("INSERT INTO ").append(shape.table().quoted()).append(" AS t (")
                .append(columnList(shape.columns())).append(") OVERRIDING SYSTEM VALUE SELECT ");
        for (int i = 0; i < columns; i++) {
            if (i > 0) {
                sql.append(", ");
            }
            sql.append(cast("v.p" + (i + 1), shape.types().get(i)));
        }
        return sql.append(" FROM ").append(unnest(columns));
    }

    private static void appendKeyMatch(StringBuilder sql, Shape shape, int offset) {
        for (int i = 0; i < shape.key().size(); i++) {
            if (i > 0) {
                sql.append(" AND ");
            }
            sql.append("t.").append(quoteIdentifier(shape.key().get(i))).append(" = ")
                    .append(cast("v.p" + (offset + i + 1), shape.keyTypes().get(i)));
        }
    }

    /** {@code unnest(?::text[], ...) AS v(p1, ...)}. */
    private static String unnest(int arrays) {
        StringJoiner parameters = new StringJoiner(", ", "unnest(", ")");
        StringJoiner names = new StringJoiner(", ", " AS v(", ")");
        for (int i = 1; i <= arrays; i++) {
            parameters.add("?::text[]");
            names.add("p" + i);
        }
        return parameters + names.toString();
    }

    private static String cast(String expression, String type) {
        return "CAST(" + expression + " AS " + type + ")";
    }

    private static String columnList(List<String> columns) {
        StringJoiner list = new StringJoiner(", ");
        for (String column : columns) {
            list.add(quoteIdentifier(column));
        }
        return list.toString();
    }
}

package io.pgflo.sink.postgres;

import static io.pgflo.sink.api.TableName.quoteIdentifier;

import io.pgflo.sink.api.Column;
import io.pgflo.sink.api.TableName;
import io.pgflo.sink.postgres.TableDefinition.ColumnDefinition;
import io.pgflo.sink.postgres.TableDefinition.ConstraintDefinition;
import io.pgflo.sink.postgres.TableDefinition.IndexDefinition;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Works out the statements that bring a target table from what it is to a source table's new definition. Every
 * statement is built here, from names quoted here and from the server's deparsed types and expressions; none comes
 * from a client's query string. What the source changed is told by comparing its definitions before and after (by
 * attribute number and OID, so that a rename is not a drop and an add); whether the target still needs it, by its
 * catalog, so that a change applied twice or already made is no error.
 */
final class SchemaChangePlanner {

    /**
     * A statement to run. An optional one (an index, a constraint) may fail without stopping the stream: the rows still
     * fit the table; a required one (a column) may not, since the rows that follow need it.
     */
    record Step(String sql, boolean optional) {}

    /** The steps, and the target table's name once they ran. */
    record Plan(List<Step> steps, TableName table, List<String> warnings) {}

    private SchemaChangePlanner() {}

    /**
     * @param current the target table the change applies to (the name the target knows it by)
     * @param target that table's catalog now
     */
    static Plan plan(TableName current, SchemaChange change, TargetShape target) {
        TableDefinition after = change.definition();
        TableDefinition before = change.previous();
        List<Step> steps = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        TableName table = current;
        if (!table.schema().equals(after.schema())) {
            steps.add(new Step("ALTER TABLE " + table.quoted() + " SET SCHEMA " + quoteIdentifier(after.schema()), false));
            table = new TableName(after.schema(), table.table());
        }
        if (!table.table().equals(after.table())) {
            steps.add(new Step("ALTER TABLE " + table.quoted() + " RENAME TO " + quoteIdentifier(after.table()), false));
            table = after.name();
        }
        String alter = "ALTER TABLE " + table.quoted();
        columns(alter, table, before, after, target, steps, warnings);
        constraints(alter, before, after, target, steps);
        indexes(table, before, after, target, steps);
        return new Plan(List.copyOf(steps), table, List.copyOf(warnings));
    }

    private static void columns(String alter, TableName table, TableDefinition before, TableDefinition after,
            TargetShape target, List<Step> steps, List<String> warnings) {
        Map<String, TargetShape.Column> present = new HashMap<>(target.columns());
        Map<Integer, ColumnDefinition> previous = before == null ? Map.of() : byKey(before.columns(), c -> c.num());
        Map<Integer, ColumnDefinition> next = byKey(after.columns(), c -> c.num());
        for (ColumnDefinition gone : previous.values()) {
            if (!next.containsKey(gone.num()) && present.remove(gone.name()) != null) {
                steps.add(new Step(alter + " DROP COLUMN " + quoteIdentifier(gone.name()), false));
            }
        }
        for (ColumnDefinition column : after.columns()) {
            ColumnDefinition was = previous.get(column.num());
            if (was != null && !was.name().equals(column.name()) && present.containsKey(was.name())
                    && !present.containsKey(column.name())) {
                steps.add(new Step(alter + " RENAME COLUMN " + quoteIdentifier(was.name()) + " TO "
                        + quoteIdentifier(column.name()), false));
                present.put(column.name(), present.remove(was.name()));
            }
        }
        for (ColumnDefinition column : after.columns()) {
            TargetShape.Column there = present.get(column.name());
            if (there == null) {
                addColumn(alter, table, column, steps);
            } else {
                alterColumn(alter, column, before == null ? null : previous.get(column.num()), there, steps, warnings);
            }
        }
    }

    private static void addColumn(String alter, TableName table, ColumnDefinition column, List<Step> steps) {
        if (column.sequence() != null) {
            steps.add(new Step("CREATE SEQUENCE IF NOT EXISTS " + column.sequence().quoted(), false));
        }
        StringBuilder sql = new StringBuilder(alter).append(" ADD COLUMN ").append(quoteIdentifier(column.name()))
                .append(' ').append(column.type());
        if (column.generated() != null) {
            sql.append(" GENERATED ALWAYS AS (").append(column.generated()).append(") STORED");
        } else if (column.identity() != null) {
            sql.append(column.identity().equals("a") ? " GENERATED ALWAYS AS IDENTITY" : " GENERATED BY DEFAULT AS IDENTITY");
        } else if (column.defaultExpression() != null) {
            sql.append(" DEFAULT ").append(column.defaultExpression());
        }
        if (column.notNull() && column.identity() == null) {
            sql.append(" NOT NULL");
        }
        steps.add(new Step(sql.toString(), false));
        if (column.sequence() != null) {
            steps.add(new Step("ALTER SEQUENCE " + column.sequence().quoted() + " OWNED BY " + table.quoted() + "."
                    + quoteIdentifier(column.name()), true));
        }
    }

    /** Aligns what the source changed (everything, when its earlier definition is not known) and the target lacks. */
    private static void alterColumn(String alter, ColumnDefinition column, ColumnDefinition was, TargetShape.Column there,
            List<Step> steps, List<String> warnings) {
        String prefix = alter + " ALTER COLUMN " + quoteIdentifier(column.name());
        if ((was == null || !was.type().equals(column.type())) && !there.type().equals(column.type())) {
            steps.add(new Step(prefix + " TYPE " + column.type() + " USING " + quoteIdentifier(column.name()) + "::"
                    + column.type(), false));
            warnings.add("column " + column.name() + " changed type from " + there.type() + " to " + column.type()
                    + ": the target's rows were converted with a cast, not with the USING expression the source may have had");
        }
        if (column.generated() != null) {
            return;
        }
        if (there.generated()) {
            // The source dropped the expression (ALTER COLUMN ... DROP EXPRESSION): the column now takes values.
            steps.add(new Step(prefix + " DROP EXPRESSION IF EXISTS", false));
        }
        if ((was == null || !Objects.equals(was.identity(), column.identity())) && column.identity() != null
                && there.identity() == null) {
            if (!there.notNull()) {
                steps.add(new Step(prefix + " SET NOT NULL", false)); // identity needs it, as on the source
            }
            steps.add(new Step(prefix + " ADD GENERATED BY DEFAULT AS IDENTITY", false));
        } else if (was != null && was.identity() != null && column.identity() == null && there.identity() != null) {
            steps.add(new Step(prefix + " DROP IDENTITY IF EXISTS", false));
        }
        if (column.identity() == null && (was == null || !Objects.equals(was.defaultExpression(), column.defaultExpression()))
                && !Objects.equals(there.defaultExpression(), column.defaultExpression())) {
            if (column.sequence() != null) {
                steps.add(new Step("CREATE SEQUENCE IF NOT EXISTS " + column.sequence().quoted(), false));
            }
            steps.add(new Step(prefix + (column.defaultExpression() == null ? " DROP DEFAULT"
                    : " SET DEFAULT " + column.defaultExpression()), false));
        }
        if ((was == null || was.notNull() != column.notNull()) && there.notNull() != column.notNull()
                && column.identity() == null) {
            steps.add(new Step(prefix + (column.notNull() ? " SET NOT NULL" : " DROP NOT NULL"), false));
        }
    }

    private static void constraints(String alter, TableDefinition before, TableDefinition after, TargetShape target,
            List<Step> steps) {
        matchByOid(before == null ? null : before.constraints(), after.constraints(), target.constraints(),
                new CatalogObjects<>(ConstraintDefinition::oid, ConstraintDefinition::name,
                        ConstraintDefinition::definition,
                        gone -> alter + " DROP CONSTRAINT " + quoteIdentifier(gone.name()),
                        (was, now) -> alter + " RENAME CONSTRAINT " + quoteIdentifier(was.name()) + " TO "
                                + quoteIdentifier(now.name()),
                        added -> alter + " ADD CONSTRAINT " + quoteIdentifier(added.name()) + " " + added.definition()),
                steps);
    }

    private static void indexes(TableName table, TableDefinition before, TableDefinition after, TargetShape target,
            List<Step> steps) {
        matchByOid(before == null ? null : before.indexes(), after.indexes(), target.indexes(),
                new CatalogObjects<>(IndexDefinition::oid, IndexDefinition::name,
                        index -> (index.unique() ? "UNIQUE " : "") + index.using(),
                        gone -> "DROP INDEX IF EXISTS " + new TableName(table.schema(), gone.name()).quoted(),
                        (was, now) -> "ALTER INDEX IF EXISTS " + new TableName(table.schema(), was.name()).quoted()
                                + " RENAME TO " + quoteIdentifier(now.name()),
                        added -> added.using() == null ? null : "CREATE " + (added.unique() ? "UNIQUE " : "")
                                + "INDEX IF NOT EXISTS " + quoteIdentifier(added.name()) + " ON " + table.quoted()
                                + " USING " + added.using()),
                steps);
    }

    /** How to name, drop, rename and create one kind of catalog object (a null statement: cannot be made). */
    private record CatalogObjects<T>(Function<T, Long> oid, Function<T, String> name, Function<T, String> definition,
            Function<T, String> drop, BiFunction<T, T, String> rename, Function<T, String> create) {}

    /**
     * Indexes and constraints: matched across the definitions by OID (a rename keeps it), against the target by name.
     * Without the earlier definition nothing tells what the source changed, and the target keeps its own.
     */
    private static <T> void matchByOid(List<T> before, List<T> after, Set<String> targetNames, CatalogObjects<T> kind,
            List<Step> steps) {
        if (before == null) {
            return;
        }
        Set<String> present = new HashSet<>(targetNames);
        Map<Long, T> previous = byKey(before, kind.oid());
        Map<Long, T> next = byKey(after, kind.oid());
        Map<String, T> nextByName = byKey(after, kind.name());
        for (T gone : before) {
            String name = kind.name().apply(gone);
            T successor = nextByName.get(name);
            // Gone, or replaced under the same name by something else (DROP CONSTRAINT c, ADD CONSTRAINT c ...): an
            // index rebuilt as it was (ALTER TYPE gives it a new OID) is neither.
            boolean replaced = successor != null && !next.containsKey(kind.oid().apply(gone))
                    && !kind.definition().apply(successor).equals(kind.definition().apply(gone));
            if ((successor == null && !next.containsKey(kind.oid().apply(gone)) || replaced) && present.remove(name)) {
                steps.add(new Step(kind.drop().apply(gone), true));
            }
        }
        for (T object : after) {
            String name = kind.name().apply(object);
            T was = previous.get(kind.oid().apply(object));
            String wasName = was == null ? null : kind.name().apply(was);
            if (was != null && !wasName.equals(name) && present.contains(wasName) && !present.contains(name)) {
                steps.add(new Step(kind.rename().apply(was, object), true));
                present.remove(wasName);
                present.add(name);
            } else if (was == null && !present.contains(name)) {
                String create = kind.create().apply(object);
                if (create != null) {
                    steps.add(new Step(create, true));
                    present.add(name);
                }
            }
        }
    }

    private static <K, V> Map<K, V> byKey(List<V> values, Function<V, K> key) {
        Map<K, V> map = new HashMap<>();
        for (V value : values) {
            map.put(key.apply(value), value);
        }
        return map;
    }
}

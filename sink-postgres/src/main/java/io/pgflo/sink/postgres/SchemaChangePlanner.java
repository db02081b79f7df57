package io.pgflo.sink.postgres;

import static io.pgflo.domain.TableName.quoteIdentifier;

import io.pgflo.domain.TableName;
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
        if ((was == null || !Objects.equals(was.identity(), column.identity())) && column.identity() != null
                && there.identity() == null) {
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
        if (before == null) {
            return; // Without the earlier definition nothing tells what the source changed; the target keeps its own.
        }
        Set<String> present = new HashSet<>(target.constraints());
        Map<Long, ConstraintDefinition> previous = byKey(before.constraints(), ConstraintDefinition::oid);
        Map<Long, ConstraintDefinition> next = byKey(after.constraints(), ConstraintDefinition::oid);
        Set<String> names = new HashSet<>();
        after.constraints().forEach(c -> names.add(c.name()));
        for (ConstraintDefinition gone : before.constraints()) {
            if (!next.containsKey(gone.oid()) && !names.contains(gone.name()) && present.remove(gone.name())) {
                steps.add(new Step(alter + " DROP CONSTRAINT " + quoteIdentifier(gone.name()), true));
            }
        }
        for (ConstraintDefinition constraint : after.constraints()) {
            ConstraintDefinition was = previous.get(constraint.oid());
            if (was != null && !was.name().equals(constraint.name()) && present.contains(was.name())
                    && !present.contains(constraint.name())) {
                steps.add(new Step(alter + " RENAME CONSTRAINT " + quoteIdentifier(was.name()) + " TO "
                        + quoteIdentifier(constraint.name()), true));
                present.remove(was.name());
                present.add(constraint.name());
            } else if (was == null && !present.contains(constraint.name())) {
                steps.add(new Step(alter + " ADD CONSTRAINT " + quoteIdentifier(constraint.name()) + " "
                        + constraint.definition(), true));
                present.add(constraint.name());
            }
        }
    }

    private static void indexes(TableName table, TableDefinition before, TableDefinition after, TargetShape target,
            List<Step> steps) {
        if (before == null) {
            return;
        }
        Set<String> present = new HashSet<>(target.indexes());
        Map<Long, IndexDefinition> previous = byKey(before.indexes(), IndexDefinition::oid);
        Map<Long, IndexDefinition> next = byKey(after.indexes(), IndexDefinition::oid);
        Set<String> names = new HashSet<>();
        after.indexes().forEach(i -> names.add(i.name()));
        for (IndexDefinition gone : before.indexes()) {
            if (!next.containsKey(gone.oid()) && !names.contains(gone.name()) && present.remove(gone.name())) {
                steps.add(new Step("DROP INDEX IF EXISTS " + new TableName(table.schema(), gone.name()).quoted(), true));
            }
        }
        for (IndexDefinition index : after.indexes()) {
            IndexDefinition was = previous.get(index.oid());
            if (was != null && !was.name().equals(index.name()) && present.contains(was.name())
                    && !present.contains(index.name())) {
                steps.add(new Step("ALTER INDEX IF EXISTS " + new TableName(table.schema(), was.name()).quoted()
                        + " RENAME TO " + quoteIdentifier(index.name()), true));
                present.remove(was.name());
                present.add(index.name());
            } else if (was == null && index.using() != null && !present.contains(index.name())) {
                steps.add(new Step("CREATE " + (index.unique() ? "UNIQUE " : "") + "INDEX IF NOT EXISTS "
                        + quoteIdentifier(index.name()) + " ON " + table.quoted() + " USING " + index.using(), true));
                present.add(index.name());
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

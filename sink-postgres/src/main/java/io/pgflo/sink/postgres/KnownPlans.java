package io.pgflo.sink.postgres;

import io.pgflo.sink.api.ChangeEvent;
import io.pgflo.sink.api.Column;
import io.pgflo.sink.api.ColumnValue;
import io.pgflo.sink.api.Operation;
import io.pgflo.sink.api.Row;
import io.pgflo.sink.postgres.RowChange.Kind;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The plans of the common changes, remembered per relation so that {@link ChangePlanner} works out each only once:
 * an INSERT or an UPDATE without unchanged TOAST values or an old row (an upsert by the event's key), and a DELETE
 * that sends only the key. Every other change is planned in full each time.
 *
 * <p>A relation is recognised by its {@link Column} instances, which the source creates once per Relation message:
 * a new description of the table (after DDL, or a reconnect) brings new instances, and so a new plan. A DELETE's plan
 * may also depend on the target's key (a DELETE always, an upsert of a table whose key is every column), so a plan is
 * valid only for the {@link TargetKeys#generation()} it was made in.
 */
final class KnownPlans {
    private static final int MAX_PLANS = 1_000;

    private final Map<Column, Plan> writes = new IdentityHashMap<>();
    private final Map<Column, Plan> deletes = new IdentityHashMap<>();

    /** The change, from a remembered plan, or null when there is none for this event. */
    RowChange plan(ChangeEvent event, long keyGeneration) {
        Operation operation = event.operation();
        if ((operation == Operation.INSERT || operation == Operation.UPDATE || operation == Operation.READ)
                && event.oldRow() == null) {
            Plan plan = find(writes, event.newRow());
            if (plan == null || plan.eventKey != event.keyColumns() || plan.keyGeneration != keyGeneration) {
                return null;
            }
            return plan.apply(event, event.newRow(), operation == Operation.INSERT);
        }
        if (operation == Operation.DELETE) {
            Plan plan = find(deletes, event.oldRow());
            if (plan == null || plan.keyGeneration != keyGeneration) {
                return null;
            }
            return plan.apply(event, event.oldRow(), false);
        }
        return null;
    }

    /** Remembers how {@code event} was planned, when it is one of the common changes. */
    void remember(ChangeEvent event, List<RowChange> planned, long keyGeneration) {
        if (planned.size() != 1) {
            return;
        }
        RowChange change = planned.get(0);
        Operation operation = event.operation();
        if (change.kind() == Kind.UPSERT
                && (operation == Operation.INSERT || operation == Operation.UPDATE || operation == Operation.READ)
                && event.oldRow() == null && change.shape().key().equals(event.keyColumns())
                && change.shape().columns().size() == event.newRow().size()) {
            put(writes, Plan.of(change, event.newRow(), event.keyColumns(), keyGeneration));
        } else if (change.kind() == Kind.DELETE && operation == Operation.DELETE && change.shape().columns().isEmpty()) {
            put(deletes, Plan.of(change, event.oldRow(), event.keyColumns(), keyGeneration));
        }
    }

    private static Plan find(Map<Column, Plan> plans, Row row) {
        List<ColumnValue> values = row.values();
        if (values.isEmpty()) {
            return null;
        }
        Plan plan = plans.get(values.get(0).column());
        return plan != null && plan.describes(values) ? plan : null;
    }

    private static void put(Map<Column, Plan> plans, Plan plan) {
        if (plan == null) {
            return;
        }
        if (plans.size() >= MAX_PLANS) {
            plans.clear();
        }
        plans.put(plan.columns[0], plan);
    }

    /** A shape, the columns it was made for, and where its key's values are in the row. */
    private record Plan(RowChange.Shape shape, Column[] columns, int[] keyIndexes, List<String> eventKey,
            long keyGeneration) {

        /** The plan behind {@code change}, or null when its key is not among the row's columns. */
        static Plan of(RowChange change, Row row, List<String> eventKey, long keyGeneration) {
            List<ColumnValue> values = row.values();
            if (values.isEmpty()) {
                return null;
            }
            Column[] columns = new Column[values.size()];
            for (int i = 0; i < columns.length; i++) {
                columns[i] = values.get(i).column();
            }
            List<String> key = change.shape().key();
            int[] keyIndexes = new int[key.size()];
            for (int k = 0; k < keyIndexes.length; k++) {
                keyIndexes[k] = -1;
                for (int i = 0; i < columns.length; i++) {
                    if (columns[i].name().equals(key.get(k))) {
                        keyIndexes[k] = i;
                    }
                }
                if (keyIndexes[k] < 0) {
                    return null;
                }
            }
            return new Plan(change.shape(), columns, keyIndexes, eventKey, keyGeneration);
        }

        boolean describes(List<ColumnValue> values) {
            if (values.size() != columns.length) {
                return false;
            }
            for (int i = 0; i < columns.length; i++) {
                if (values.get(i).column() != columns[i]) {
                    return false;
                }
            }
            return true;
        }

        /** The change for a row of these columns, or null when it has an unchanged TOAST value. */
        RowChange apply(ChangeEvent event, Row row, boolean fresh) {
            List<ColumnValue> values = row.values();
            for (int i = 0; i < values.size(); i++) {
                if (values.get(i).unchangedToast()) {
                    return null;
                }
            }
            String[] key = new String[keyIndexes.length];
            for (int k = 0; k < keyIndexes.length; k++) {
                key[k] = values.get(keyIndexes[k]).text();
            }
            // The row's values in its order, which is the shape's: their texts are made only if a statement needs them.
            List<String> written = shape.columns().isEmpty() ? List.of() : new ColumnTexts(values);
            return new RowChange(shape, event, written, Arrays.asList(key), fresh && shape.kind() == Kind.UPSERT);
        }
    }
}

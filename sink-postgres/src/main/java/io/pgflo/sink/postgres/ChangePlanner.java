package io.pgflo.sink.postgres;

import io.pgflo.sink.api.ChangeEvent;
import io.pgflo.sink.api.ColumnValue;
import io.pgflo.sink.api.Operation;
import io.pgflo.sink.api.Row;
import io.pgflo.sink.api.TableName;
import io.pgflo.sink.postgres.RowChange.Kind;
import io.pgflo.sink.postgres.RowChange.Shape;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Decides how one INSERT, UPDATE or DELETE event is written to the target, so that applying the resulting row changes
 * in order gives exactly the source's row.
 *
 * <ul>
 *   <li>The key: the event's key columns when they are a proper subset of the row (primary key, replica identity
 *       index); otherwise (REPLICA IDENTITY FULL flags every column, or no key) the target table's primary key or
 *       replica identity index; otherwise none, and rows are matched on all their old values, one row at a time.</li>
 *   <li>Unchanged TOAST values: filled from the old row when the server sent a full one (REPLICA IDENTITY FULL);
 *       otherwise left out of the statement, so the target keeps its value.</li>
 *   <li>A key change (old key differs from new): delete at the old key, upsert at the new; when TOAST values must be
 *       carried over, one statement moves them.</li>
 * </ul>
 */
final class ChangePlanner {
    private final TargetKeys targetKeys;
    private final Map<Shape, Shape> shapes = new HashMap<>();
    private final KnownPlans plans = new KnownPlans();

    ChangePlanner(TargetKeys targetKeys) {
        this.targetKeys = targetKeys;
    }

    List<RowChange> plan(Connection connection, ChangeEvent event) throws SQLException {
        RowChange known = plans.plan(event, targetKeys.generation());
        if (known != null) {
            return List.of(known);
        }
        TableName table = new TableName(event.schema(), event.table());
        List<RowChange> planned = switch (event.operation()) {
            // A row read by a copy may be there already (the stream wrote it first): an upsert, as an UPDATE.
            case INSERT, UPDATE, READ -> planWrite(connection, table, event);
            case DELETE -> planDelete(connection, table, event);
            default -> throw new IllegalArgumentException("not a row change: " + event.operation());
        };
        plans.remember(event, planned, targetKeys.generation());
        return planned;
    }

    private List<RowChange> planWrite(Connection connection, TableName table, ChangeEvent event) throws SQLException {
        Row oldRow = event.oldRow();
        List<ColumnValue> row = new ArrayList<>(event.newRow().values());
        if (oldRow != null) {
            for (int i = 0; i < row.size(); i++) {
                if (row.get(i).unchangedToast()) {
                    ColumnValue old = oldRow.get(row.get(i).name()).orElse(null);
                    if (old != null && !old.unchangedToast()) {
                        row.set(i, old);
                    }
                }
            }
        }
        List<String> columns = names(row);
        List<String> key = chooseKey(connection, table, event.keyColumns(), columns);
        List<ColumnValue> sent = row.stream().filter(value -> !value.unchangedToast()).toList();
        List<String> unchanged = row.stream().filter(ColumnValue::unchangedToast).map(ColumnValue::name).toList();
        if (key.isEmpty()) {
            if (event.operation() == Operation.INSERT || event.operation() == Operation.READ) {
                return List.of(change(Kind.INSERT, table, event, sent, List.of(), List.of()));
            }
            if (oldRow == null) {
                throw new IllegalStateException("UPDATE on " + event.qualifiedTable() + " at " + event.lsn()
                        + " has no key and no old row, so the row to update cannot be found; give the source table a "
                        + "primary key or REPLICA IDENTITY FULL");
            }
            return List.of(change(Kind.MATCHED_UPDATE, table, event, sent, matchable(oldRow), List.of()));
        }
        List<ColumnValue> newKey = values(event.newRow(), key, event);
        boolean keyChanged = false;
        List<ColumnValue> oldKey = null;
        if (oldRow != null && event.operation() == Operation.UPDATE) {
            oldKey = new ArrayList<>(key.size());
            for (int i = 0; i < key.size(); i++) {
                ColumnValue old = oldRow.get(key.get(i)).orElse(null);
                oldKey.add(old == null ? newKey.get(i) : old);
                keyChanged |= old != null && !old.sameText(newKey.get(i));
            }
        }
        if (keyChanged) {
            if (unchanged.isEmpty()) {
                return List.of(change(Kind.DELETE, table, event, List.of(), oldKey, List.of()),
                        change(Kind.UPSERT, table, event, sent, newKey, List.of()));
            }
            return List.of(change(Kind.MOVE, table, event, sent, oldKey, unchanged));
        }
        if (unchanged.isEmpty()) {
            return List.of(change(Kind.UPSERT, table, event, sent, newKey, List.of()));
        }
        List<ColumnValue> set = sent.stream().filter(value -> !key.contains(value.name())).toList();
        // Nothing to set but unchanged values (a touch): one of them is set to itself, so that the row count still
        // proves the row is there. Not the key, which may be an identity column that only DEFAULT may update.
        return List.of(change(Kind.UPDATE, table, event, set, newKey, set.isEmpty() ? unchanged.subList(0, 1) : List.of()));
    }

    private List<RowChange> planDelete(Connection connection, TableName table, ChangeEvent event) throws SQLException {
        Row oldRow = event.oldRow();
        List<String> columns = names(oldRow.values());
        List<String> target = targetKeys.of(connection, table);
        if (!target.isEmpty() && columns.containsAll(target)) {
            return List.of(change(Kind.DELETE, table, event, List.of(), values(oldRow, target, event), List.of()));
        }
        return List.of(change(Kind.MATCHED_DELETE, table, event, List.of(), matchable(oldRow), List.of()));
    }

    private List<String> chooseKey(Connection connection, TableName table, List<String> eventKey, List<String> columns)
            throws SQLException {
        if (!eventKey.isEmpty() && columns.containsAll(eventKey) && !eventKey.containsAll(columns)) {
            return eventKey;
        }
        List<String> target = targetKeys.of(connection, table);
        if (!target.isEmpty() && columns.containsAll(target)) {
            return target;
        }
        return List.of();
    }

    private RowChange change(Kind kind, TableName table, ChangeEvent event, List<ColumnValue> written,
            List<ColumnValue> key, List<String> carried) {
        List<String> types = new ArrayList<>(written.size());
        List<String> values = new ArrayList<>(written.size());
        for (ColumnValue value : written) {
            types.add(CastTypes.castName(value.type()));
            values.add(value.text());
        }
        List<String> keyTypes = new ArrayList<>(key.size());
        List<String> keyValues = new ArrayList<>(key.size());
        List<Boolean> exact = new ArrayList<>(key.size());
        for (ColumnValue value : key) {
            keyTypes.add(CastTypes.castName(value.type()));
            keyValues.add(value.text());
            exact.add(CastTypes.equalityIsExact(value.type()));
        }
        Shape shape = new Shape(kind, table, names(written), List.copyOf(types), names(key), List.copyOf(keyTypes),
                List.copyOf(carried), List.copyOf(exact));
        // Equal shapes are common; sharing one instance makes the grouping's equality checks cheap.
        shape = shapes.computeIfAbsent(shape, s -> s);
        if (shapes.size() > 10_000) {
            shapes.clear();
        }
        return new RowChange(shape, event, values, keyValues, kind == Kind.UPSERT && event.operation() == Operation.INSERT);
    }

    /** The old row's values that can be matched on: all but unchanged TOAST values. */
    private static List<ColumnValue> matchable(Row oldRow) {
        return oldRow.values().stream().filter(value -> !value.unchangedToast()).toList();
    }

    private static List<ColumnValue> values(Row row, List<String> columns, ChangeEvent event) {
        List<ColumnValue> values = new ArrayList<>(columns.size());
        for (String column : columns) {
            ColumnValue value = row.get(column).orElseThrow(() -> new IllegalStateException(event.operation() + " on "
                    + event.qualifiedTable() + " at " + event.lsn() + " lacks key column " + column));
            if (value.unchangedToast()) {
                throw new IllegalStateException(event.operation() + " on " + event.qualifiedTable() + " at "
                        + event.lsn() + " has no value for key column " + column + " (unchanged TOAST)");
            }
            values.add(value);
        }
        return values;
    }

    private static List<String> names(List<ColumnValue> values) {
        List<String> names = new ArrayList<>(values.size());
        for (ColumnValue value : values) {
            names.add(value.name());
        }
        return List.copyOf(names);
    }
}

package io.pgflo.sink.postgres;

import io.pgflo.sink.api.TableName;
import io.pgflo.sink.postgres.RowChange.Kind;
import io.pgflo.sink.postgres.RowChange.Shape;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The net effect, per table and key, of consecutive row changes to tables whose changes commute
 * ({@link TargetTables}): the last full row (an upsert), a delete, or the columns a partial update sets. Applying the
 * net effects leaves the same rows as applying every change in order, with a handful of statements per table instead
 * of one or two per source transaction.
 *
 * <p>Only upserts, deletes and partial updates by key are merged. A partial update of a key deleted earlier in the
 * same run or of columns the key's earlier change described otherwise, a second key (a table whose deletes and upserts
 * name different key columns), key changes that carry TOAST values, and changes matched on all columns are not: the
 * caller applies the merged changes, then those in order.
 */
final class NetChanges {
    private final Map<TableName, Net> tables = new LinkedHashMap<>();
    private int changes;

    boolean isEmpty() {
        return tables.isEmpty();
    }

    /** How many row changes were merged since the last {@link #drain()}. */
    int merged() {
        return changes;
    }

    /** Whether {@link #add} would take the change (given that the change's table commutes). */
    boolean accepts(RowChange change) {
        Kind kind = change.kind();
        if (kind != Kind.UPSERT && kind != Kind.DELETE && kind != Kind.UPDATE) {
            return false;
        }
        Net net = tables.get(change.table());
        if (net == null) {
            return true;
        }
        if (!net.key.equals(change.shape().key())) {
            return false;
        }
        RowChange previous = net.rows.get(change.keyValues());
        return kind != Kind.UPDATE || previous == null || previous.kind() != Kind.DELETE && describedAlike(previous, change);
    }

    /**
     * Whether a partial update can be laid over the key's earlier change: each column it sets is one the earlier full
     * row has, and one the earlier change cast to the same type. Not so when the table changed between the two without
     * a DDL event (capture off, or not installed): applied in order, the update then sets what the new description
     * says.
     */
    private static boolean describedAlike(RowChange earlier, RowChange later) {
        Shape before = earlier.shape();
        Shape after = later.shape();
        for (int i = 0; i < after.columns().size(); i++) {
            int at = before.columns().indexOf(after.columns().get(i));
            if (at < 0 ? earlier.kind() == Kind.UPSERT : !before.types().get(at).equals(after.types().get(i))) {
                return false;
            }
        }
        return true;
    }

    void add(RowChange change) {
        Net net = tables.computeIfAbsent(change.table(), table -> new Net(change.shape().key()));
        List<String> key = change.keyValues();
        RowChange previous = net.rows.remove(key);
        RowChange merged = change;
        if (change.kind() == Kind.UPDATE && previous != null) {
            merged = previous.kind() == Kind.UPSERT ? overlay(previous, change) : union(previous, change);
        }
        if (previous != null && merged.fresh() != previous.fresh()) {
            // Whether the row existed before this run is decided by the key's first change in it.
            merged = new RowChange(merged.shape(), merged.event(), merged.values(), merged.keyValues(), previous.fresh());
        }
        // Removed and put again, so the map's order is the order of each key's last change.
        net.rows.put(key, merged);
        changes++;
    }

    /**
     * The merged changes, per table: deletes, then upserts of rows new in this run, then other upserts, then partial
     * updates; and forgets them.
     */
    List<List<RowChange>> drain() {
        List<List<RowChange>> runs = new ArrayList<>();
        for (Net net : tables.values()) {
            // One pass into six classes: (delete, upsert, update) x (fresh, not), each by shape in first-seen order.
            List<Map<Shape, List<RowChange>>> classes = new ArrayList<>(6);
            for (int i = 0; i < 6; i++) {
                classes.add(new LinkedHashMap<>());
            }
            Shape lastShape = null;
            int lastClass = -1;
            List<RowChange> lastRun = null;
            for (RowChange change : net.rows.values()) {
                int kindClass = classOf(change);
                // Consecutive rows mostly share a shape: skip the hashing of its lists then.
                if (change.shape() != lastShape || kindClass != lastClass) {
                    lastShape = change.shape();
                    lastClass = kindClass;
                    lastRun = classes.get(kindClass).computeIfAbsent(lastShape, shape -> new ArrayList<>());
                }
                lastRun.add(change);
            }
            for (Map<Shape, List<RowChange>> byShape : classes) {
                runs.addAll(byShape.values());
            }
        }
        tables.clear();
        changes = 0;
        return runs;
    }

    /** The order in which merged changes are applied: deletes, upserts, updates; fresh rows first in each. */
    private static int classOf(RowChange change) {
        int kind = switch (change.kind()) {
            case DELETE -> 0;
            case UPSERT -> 1;
            case UPDATE -> 2;
            default -> throw new IllegalStateException("not a merged kind: " + change.kind());
        };
        return kind * 2 + (change.fresh() ? 0 : 1);
    }

    /** A full row with some of its columns replaced by a later partial update's values. */
    private static RowChange overlay(RowChange upsert, RowChange update) {
        List<String> values = new ArrayList<>(upsert.values());
        List<String> columns = upsert.shape().columns();
        for (int i = 0; i < update.shape().columns().size(); i++) {
            // Every column is there: accepts() sends an update that sets another one to be applied in order.
            values.set(columns.indexOf(update.shape().columns().get(i)), update.values().get(i));
        }
        return new RowChange(upsert.shape(), update.event(), values, upsert.keyValues(), upsert.fresh());
    }

    /** Two partial updates of one row as one: the union of their columns, the later value winning. */
    private static RowChange union(RowChange earlier, RowChange later) {
        if (earlier.kind() != Kind.UPDATE) {
            throw new IllegalStateException("cannot merge " + later.kind() + " into " + earlier.kind());
        }
        List<String> columns = new ArrayList<>(earlier.shape().columns());
        List<String> types = new ArrayList<>(earlier.shape().types());
        List<String> values = new ArrayList<>(earlier.values());
        for (int i = 0; i < later.shape().columns().size(); i++) {
            String column = later.shape().columns().get(i);
            int at = columns.indexOf(column);
            if (at < 0) {
                columns.add(column);
                types.add(later.shape().types().get(i));
                values.add(later.values().get(i));
            } else {
                values.set(at, later.values().get(i));
            }
        }
        Shape shape = earlier.shape();
        // Two touches (no column sent) stay a touch, which sets its carried column to itself.
        Shape merged = new Shape(Kind.UPDATE, shape.table(), List.copyOf(columns), List.copyOf(types), shape.key(),
                shape.keyTypes(), columns.isEmpty() ? shape.carried() : List.of(), shape.exactKeys());
        return new RowChange(merged, later.event(), values, later.keyValues(), earlier.fresh());
    }

    private static final class Net {
        final List<String> key;
        final LinkedHashMap<List<String>, RowChange> rows = new LinkedHashMap<>();

        Net(List<String> key) {
            this.key = key;
        }
    }
}

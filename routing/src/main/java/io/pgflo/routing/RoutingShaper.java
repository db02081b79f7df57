package io.pgflo.routing;

import static java.util.Objects.requireNonNull;

import io.pgflo.domain.ChangeShaper;
import io.pgflo.domain.SourceChange;
import io.pgflo.domain.TableRoutes;
import io.pgflo.domain.TableRoutes.Route;
import io.pgflo.sink.api.Column;
import io.pgflo.sink.api.ColumnValue;
import io.pgflo.sink.api.Row;
import io.pgflo.sink.api.TableName;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Applies {@link TableRoutes} to changes: a routed table's changes go out under its destination name, with their
 * columns and key columns renamed, and changes of operations the route does not take are left out ({@code null}).
 * Tables without a route pass unchanged.
 *
 * <p>A table's renamed columns are made once per source column instance and reused: the source makes one instance
 * per column of each table description, and sinks (the PostgreSQL sink's remembered plans) recognise a table's
 * description by its instances, so a renamed row must keep that property. The same holds for the key column list.
 */
public final class RoutingShaper implements ChangeShaper {
    /** Bounds the remembered instances; each new table description (after DDL or a reconnect) brings new ones. */
    private static final int MAX_REMEMBERED = 100_000;

    private final Map<String, Map<String, Routed>> routes = new HashMap<>();

    public RoutingShaper(TableRoutes routes) {
        requireNonNull(routes, "routes is null");
        for (Route route : routes.routes().values()) {
            this.routes.computeIfAbsent(route.source().schema(), schema -> new HashMap<>())
                    .put(route.source().table(), new Routed(route));
        }
    }

    @Override
    public SourceChange shape(SourceChange change) {
        Map<String, Routed> inSchema = routes.get(change.schema());
        Routed routed = inSchema == null ? null : inSchema.get(change.table());
        if (routed == null) {
            return change;
        }
        Route route = routed.route;
        if (!route.lets(change.operation())) {
            return null;
        }
        TableName destination = route.destination();
        if (route.columns().isEmpty()) {
            return new SourceChange(change.operation(), destination.schema(), destination.table(), change.lsn(),
                    change.commitLsn(), change.xid(), change.commitTime(), change.ordinal(), change.keyColumns(),
                    change.newRow(), change.oldRow(), change.ddl(), change.valueBytes());
        }
        synchronized (routed) {
            routed.forgetWhenFull();
            return new SourceChange(change.operation(), destination.schema(), destination.table(), change.lsn(),
                    change.commitLsn(), change.xid(), change.commitTime(), change.ordinal(),
                    routed.keys(change.keyColumns()), routed.row(change.newRow()), routed.row(change.oldRow()),
                    change.ddl(), change.valueBytes());
        }
    }

    /** A route with the instances it made; guarded by itself. */
    private static final class Routed {
        private final Route route;
        private final Map<Column, Column> columns = new IdentityHashMap<>();
        private final Map<List<String>, List<String>> keys = new IdentityHashMap<>();

        Routed(Route route) {
            this.route = route;
        }

        void forgetWhenFull() {
            if (columns.size() + keys.size() > MAX_REMEMBERED) {
                columns.clear();
                keys.clear();
            }
        }

        List<String> keys(List<String> sourceKeys) {
            if (sourceKeys.isEmpty()) {
                return sourceKeys;
            }
            return keys.computeIfAbsent(sourceKeys, source -> List.copyOf(route.columns(source)));
        }

        Row row(Row row) {
            if (row == null) {
                return null;
            }
            List<ColumnValue> values = new ArrayList<>(row.size());
            for (ColumnValue value : row.values()) {
                Column column = columns.computeIfAbsent(value.column(), source -> {
                    String name = route.column(source.name());
                    return name.equals(source.name()) ? source : new Column(name, source.type(), source.partOfKey());
                });
                values.add(column == value.column() ? value : renamed(value, column));
            }
            return new Row(values);
        }
    }

    private static ColumnValue renamed(ColumnValue value, Column column) {
        if (value.unchangedToast()) {
            return ColumnValue.unchangedToastOf(column);
        }
        byte[] utf8 = value.utf8OrNull();
        if (utf8 != null) {
            return ColumnValue.utf8(column, utf8);
        }
        String text = value.text();
        return text == null ? ColumnValue.sqlNull(column) : ColumnValue.text(column, text);
    }
}

package io.pgflo.rules;

import io.pgflo.domain.ChangeShaper;
import io.pgflo.domain.SourceChange;
import io.pgflo.sink.api.Column;
import io.pgflo.sink.api.ColumnValue;
import io.pgflo.sink.api.Row;
import io.pgflo.sink.api.TableName;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Rules for a process that has no catalog to check them against (a worker reading changes from NATS): each table's
 * rules are bound to the columns of its first change with a new row (an INSERT, an UPDATE or a copied row). The
 * checks that need the columns (a column exists, is text, is not key; a value fits its type) then run on that change,
 * and a failure is the same {@link RulesException} the load would have thrown, before the change is delivered. A
 * DELETE before that may carry its key alone: it gets the rules on the columns it carries (a hash that hides a key's
 * values must hide them in every change), and rules on other columns leave it as they leave any key-only DELETE.
 */
final class LazilyBoundRules implements ChangeShaper {
    private final Map<TableName, Function<TableInfo, TableRules>> binders;
    private final Map<TableName, TableRules> bound = new ConcurrentHashMap<>();
    /** Per table not bound yet, its rules on the key columns of its DELETEs: bound once, not once a DELETE. */
    private final Map<TableName, KeyRules> keyRules = new ConcurrentHashMap<>();

    private record KeyRules(List<Column> columns, TableRules rules) {}

    LazilyBoundRules(Map<TableName, Function<TableInfo, TableRules>> binders) {
        this.binders = Map.copyOf(binders);
    }

    @Override
    public SourceChange shape(SourceChange change) {
        TableName name = new TableName(change.schema(), change.table());
        Function<TableInfo, TableRules> binder = binders.get(name);
        if (binder == null) {
            return change;
        }
        TableRules rules = bound.get(name);
        if (rules != null) {
            return rules.shape(change);
        }
        if (change.newRow() == null) {
            // DDL and TRUNCATE carry no row; a DELETE's old row may be its key alone.
            return change.oldRow() == null ? change : keyRules(name, binder, change).shape(change);
        }
        try {
            rules = binder.apply(TableInfo.of(name, columns(change.newRow())));
        } catch (RulesException e) {
            throw checkedAgainst(change, e);
        }
        bound.put(name, rules);
        keyRules.remove(name);
        return rules.shape(change);
    }

    /**
     * The rules on the columns a DELETE's old row carries, for a table whose rules a change with a whole row has not
     * bound yet; bound again only when those columns change (the key's definition did).
     */
    private TableRules keyRules(TableName name, Function<TableInfo, TableRules> binder, SourceChange delete) {
        List<Column> columns = columns(delete.oldRow());
        KeyRules known = keyRules.get(name);
        if (known != null && known.columns().equals(columns)) {
            return known.rules();
        }
        try {
            TableRules rules = binder.apply(TableInfo.keyOnly(name, columns));
            keyRules.put(name, new KeyRules(columns, rules));
            return rules;
        } catch (RulesException e) {
            throw checkedAgainst(delete, e);
        }
    }

    private static RulesException checkedAgainst(SourceChange change, RulesException e) {
        return new RulesException(e.getMessage() + " (checked against the columns of the change at " + change.lsn()
                + ")", e);
    }

    private static List<Column> columns(Row row) {
        List<Column> columns = new ArrayList<>(row.size());
        for (ColumnValue value : row.values()) {
            columns.add(value.column());
        }
        return columns;
    }
}

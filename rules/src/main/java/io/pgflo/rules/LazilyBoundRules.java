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
 * rules are bound to the columns its first change carries with a whole row (the new row; a DELETE's old row when it
 * is the first). The checks that need the columns (a column exists, is text, is not key; a value fits its type) then
 * run on that change, and a failure is the same {@link RulesException} the load would have thrown, before the change
 * is delivered. A DELETE that carries its key alone cannot be judged by a rule on other columns; it passes untouched
 * until a change with a whole row binds the table's rules.
 */
final class LazilyBoundRules implements ChangeShaper {
    private final Map<TableName, Function<TableInfo, TableRules>> binders;
    private final Map<TableName, TableRules> bound = new ConcurrentHashMap<>();

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
        if (rules == null) {
            Row row = change.newRow() != null ? change.newRow() : change.oldRow();
            if (row == null) {
                return change; // DDL, TRUNCATE: no row, nothing a rule reads
            }
            try {
                rules = binder.apply(TableInfo.of(name, columns(row)));
            } catch (RulesException e) {
                if (change.newRow() == null) {
                    return change; // a key-only old row: bound later, by a change with a whole row
                }
                throw new RulesException(e.getMessage() + " (checked against the columns of the change at "
                        + change.lsn() + ")", e);
            }
            bound.put(name, rules);
        }
        return rules.shape(change);
    }

    private static List<Column> columns(Row row) {
        List<Column> columns = new ArrayList<>(row.size());
        for (ColumnValue value : row.values()) {
            columns.add(value.column());
        }
        return columns;
    }
}

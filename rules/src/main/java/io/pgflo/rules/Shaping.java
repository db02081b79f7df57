package io.pgflo.rules;

import io.pgflo.domain.SourceChange;
import io.pgflo.sink.api.ColumnValue;
import io.pgflo.sink.api.Operation;
import io.pgflo.sink.api.Row;
import java.util.ArrayList;
import java.util.List;

/** One change while a table's rules run over it: copies of its rows are made only when a rule changes them. */
final class Shaping {
    private final SourceChange change;
    Operation operation;
    List<ColumnValue> newValues;
    List<ColumnValue> oldValues;
    private boolean newCopied;
    private boolean oldCopied;
    private boolean changed;

    Shaping(SourceChange change) {
        this.change = change;
        this.operation = change.operation();
        this.newValues = change.newRow() == null ? null : change.newRow().values();
        this.oldValues = change.oldRow() == null ? null : change.oldRow().values();
    }

    /** The row a filter judges: the old one (or key) of a DELETE, the new one otherwise. */
    List<ColumnValue> judged() {
        return operation == Operation.DELETE ? oldValues : newValues;
    }

    /**
     * The value of {@code column} the change carries for the judged row, or null when it carries none: a DELETE with
     * the key only, or an UPDATE that left a TOAST value out (then the old row's value, when the change has one).
     */
    ColumnValue judgedValue(String column) {
        ColumnValue value = find(judged(), column);
        if ((value == null || value.unchangedToast()) && operation == Operation.UPDATE) {
            ColumnValue old = find(oldValues, column);
            return old == null || old.unchangedToast() ? null : old;
        }
        return value == null || value.unchangedToast() ? null : value;
    }

    static ColumnValue find(List<ColumnValue> values, String column) {
        int index = indexOf(values, column);
        return index < 0 ? null : values.get(index);
    }

    static int indexOf(List<ColumnValue> values, String column) {
        if (values == null) {
            return -1;
        }
        for (int i = 0; i < values.size(); i++) {
            if (values.get(i).name().equals(column)) {
                return i;
            }
        }
        return -1;
    }

    /** The new row's values, copied on the first change so the source's row is never touched. */
    List<ColumnValue> writableNew() {
        if (!newCopied) {
            newValues = new ArrayList<>(newValues);
            newCopied = true;
        }
        changed = true;
        return newValues;
    }

    /** The old row's values, copied on the first change. */
    List<ColumnValue> writableOld() {
        if (!oldCopied) {
            oldValues = new ArrayList<>(oldValues);
            oldCopied = true;
        }
        changed = true;
        return oldValues;
    }

    /**
     * Turns an UPDATE whose new row left a filter into a DELETE of the row's key (the old key when the key changed), so
     * that a target holding the row as it was drops it. False when the table has no key to delete by.
     */
    boolean becomeDeleteOfKey() {
        List<String> key = change.keyColumns();
        if (key.isEmpty()) {
            return false;
        }
        List<ColumnValue> from = oldValues != null ? oldValues : newValues;
        List<ColumnValue> keyValues = new ArrayList<>(key.size());
        for (String column : key) {
            ColumnValue value = find(from, column);
            if (value == null || value.unchangedToast()) {
                return false;
            }
            keyValues.add(value);
        }
        operation = Operation.DELETE;
        newValues = null;
        oldValues = keyValues;
        newCopied = false;
        oldCopied = true;
        changed = true;
        return true;
    }

    SourceChange result() {
        if (!changed) {
            return change;
        }
        return new SourceChange(operation, change.schema(), change.table(), change.lsn(), change.commitLsn(),
                change.xid(), change.commitTime(), change.ordinal(), change.keyColumns(),
                newValues == null ? null : new Row(newValues), oldValues == null ? null : new Row(oldValues),
                change.ddl());
    }
}

package io.pgflo.sink.webhook;

import io.pgflo.sink.api.ChangeEvent;
import io.pgflo.sink.api.ColumnValue;
import io.pgflo.sink.api.Operation;
import io.pgflo.sink.api.Row;
import java.util.List;

/**
 * Which lane an event travels in, so that every change to one row goes through the same lane, in commit order.
 *
 * <p>A row is named by its table and its replication key's values. Events that cannot be pinned to one row, or whose
 * row changes its name, are barriers: everything before them is delivered first, then the barrier alone, then the
 * rest. Barriers are TRUNCATE, DDL and COPY_DONE (whole tables), an UPDATE whose key values change (the row moves from one name
 * to another, so it must follow the old name's changes and precede the new name's), and an event whose key value is
 * an unchanged TOAST value (unknown here). Under REPLICA IDENTITY FULL the key is every column, so an UPDATE that
 * changes anything is a barrier: correct, and as slow as one lane for such tables.
 */
final class LaneRouter {
    private LaneRouter() {}

    static boolean isBarrier(ChangeEvent event) {
        Operation operation = event.operation();
        if (operation == Operation.TRUNCATE || operation == Operation.DDL || operation == Operation.COPY_DONE) {
            return true;
        }
        Row row = event.newRow() != null ? event.newRow() : event.oldRow();
        List<String> key = event.keyColumns();
        for (int i = 0, n = key.size(); i < n; i++) {
            String column = key.get(i);
            ColumnValue value = row.get(column).orElse(null);
            if (value != null && value.unchangedToast()) {
                return true;
            }
            if (operation == Operation.UPDATE && event.oldRow() != null) {
                ColumnValue old = event.oldRow().get(column).orElse(null);
                if (old != null && (old.unchangedToast() || !sameText(old, value))) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Whether the old key value's text is the new one's; a column missing from the new row has none. */
    private static boolean sameText(ColumnValue old, ColumnValue current) {
        return current == null ? old.text() == null : old.sameText(current);
    }

    /** The lane of a non-barrier event: a hash of schema, table and key values. Tables without a key use one lane each. */
    static int laneOf(ChangeEvent event, int lanes) {
        if (lanes == 1) {
            return 0;
        }
        int hash = event.schema().hashCode() * 31 + event.table().hashCode();
        Row row = event.newRow() != null ? event.newRow() : event.oldRow();
        List<String> key = event.keyColumns();
        for (int i = 0, n = key.size(); i < n; i++) {
            String text = row == null ? null : row.text(key.get(i));
            hash = hash * 31 + (text == null ? 0 : text.hashCode());
        }
        hash *= 0x9E3779B9;
        hash ^= hash >>> 16;
        return Math.floorMod(hash, lanes);
    }
}

package io.pgflo.sink.postgres;

import io.pgflo.sink.api.ChangeEvent;
import io.pgflo.sink.api.TableName;
import java.util.List;

/**
 * One row-level statement against the target, derived from a change event (a key change without unchanged TOAST
 * values gives two: a delete of the old key, then an upsert of the new row).
 *
 * @param shape what the statement looks like; row changes of equal shape can share one multi-row statement
 * @param event the change it comes from, for error messages
 * @param values the values of {@code shape.columns()}, as text (null for NULL)
 * @param keyValues the values of {@code shape.key()}: the new row's for an upsert, the old row's otherwise
 * @param fresh an upsert of a row the source had just inserted: the row was not there before, so a plain INSERT is
 *     expected to succeed (cheaper than INSERT ... ON CONFLICT, which it falls back to if not)
 */
record RowChange(Shape shape, ChangeEvent event, List<String> values, List<String> keyValues, boolean fresh) {

    enum Kind {
        /** INSERT ... ON CONFLICT (key) DO UPDATE: the whole row. */
        UPSERT(true),
        /** UPDATE of the columns that were sent, by key: the row has unchanged TOAST values the target keeps. */
        UPDATE(true),
        /** DELETE by key. */
        DELETE(true),
        /** Plain INSERT into a table without a key. */
        INSERT(true),
        /** A key change that carries unchanged TOAST values from the old row to the new one. */
        MOVE(false),
        /** UPDATE of one row matched on all its old values (REPLICA IDENTITY FULL, no key on the target). */
        MATCHED_UPDATE(false),
        /** DELETE of one row matched on all its old values. */
        MATCHED_DELETE(false);

        final boolean groupable;

        Kind(boolean groupable) {
            this.groupable = groupable;
        }
    }

    /**
     * @param columns the columns written (UPSERT, INSERT, MOVE, the SET list of UPDATE and MATCHED_UPDATE)
     * @param types their cast types
     * @param key the conflict key (UPSERT, MOVE), the key matched (UPDATE, DELETE), or every old column
     *     (MATCHED_*)
     * @param keyTypes the key columns' cast types
     * @param carried for MOVE: the unchanged TOAST columns, copied from the old row in the target
     * @param exactKeys for MATCHED_*: which key columns may be matched with {@code =}
     */
    record Shape(RowChange.Kind kind, TableName table, List<String> columns, List<String> types, List<String> key,
            List<String> keyTypes, List<String> carried, List<Boolean> exactKeys) {}

    TableName table() {
        return shape.table();
    }

    Kind kind() {
        return shape.kind();
    }

    /**
     * {@code (id)=(5)}: the key and its values, or for a table without a key the row's columns and values; long values
     * are cut.
     */
    String describeKey() {
        boolean keyless = shape.key().isEmpty();
        List<String> names = keyless ? shape.columns() : shape.key();
        List<String> texts = keyless ? values : keyValues;
        StringBuilder text = new StringBuilder("(");
        text.append(String.join(", ", names)).append(")=(");
        for (int i = 0; i < texts.size(); i++) {
            if (i > 0) {
                text.append(", ");
            }
            String value = texts.get(i);
            text.append(value == null ? "NULL" : SqlStates.abbreviate(value, 80));
        }
        return text.append(')').toString();
    }
}

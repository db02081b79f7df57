package io.pgflo.rules;

import io.pgflo.sink.api.ColumnValue;

/**
 * Rewrites one column's value in every row the change carries, new and old, so that the value does not leave through
 * the old row or key. A SQL NULL stays NULL (but {@code set_null} of course), and a value the change does not carry (a
 * DELETE with the key only, an unchanged TOAST value) is left as it is: the target keeps the transformed value it has.
 */
record TransformRule(Scope scope, String column, Transform transform) implements Rule {
    @Override
    public boolean apply(Shaping shaping) {
        int index = Shaping.indexOf(shaping.newValues, column);
        if (index >= 0) {
            ColumnValue shaped = shape(shaping.newValues.get(index));
            if (shaped != null) {
                shaping.writableNew().set(index, shaped);
            }
        }
        index = Shaping.indexOf(shaping.oldValues, column);
        if (index >= 0) {
            ColumnValue shaped = shape(shaping.oldValues.get(index));
            if (shaped != null) {
                shaping.writableOld().set(index, shaped);
            }
        }
        return true;
    }

    /** The value to put in place of {@code value}, or null to leave it. */
    private ColumnValue shape(ColumnValue value) {
        if (value.unchangedToast()) {
            return null;
        }
        String text = value.text();
        if (text == null && !transform.setsNull()) {
            return null;
        }
        String result = transform.apply(text);
        return result == null ? ColumnValue.sqlNull(value.column()) : ColumnValue.text(value.column(), result);
    }
}

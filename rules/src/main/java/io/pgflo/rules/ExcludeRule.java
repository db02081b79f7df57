package io.pgflo.rules;

/** Removes a column from the change: from its new row and its old row (never a key column; refused at load). */
record ExcludeRule(Scope scope, String column) implements Rule {
    @Override
    public boolean apply(Shaping shaping) {
        int index = Shaping.indexOf(shaping.newValues, column);
        if (index >= 0) {
            shaping.writableNew().remove(index);
        }
        index = Shaping.indexOf(shaping.oldValues, column);
        if (index >= 0) {
            shaping.writableOld().remove(index);
        }
        return true;
    }
}

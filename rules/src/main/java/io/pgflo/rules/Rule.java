package io.pgflo.rules;

/** One rule of a table, bound to the table's columns: it changes the change in {@link Shaping}, or leaves it out. */
interface Rule {
    Scope scope();

    /** Applies the rule; false when the change is to be left out. Called only for changes in its {@link #scope()}. */
    boolean apply(Shaping shaping);
}

package io.pgflo.rules;

import io.pgflo.sink.api.Operation;

/**
 * Keeps the changes whose row passes a {@link Condition} and leaves the others out; a change whose row cannot be
 * judged (it does not carry the column) is kept. An UPDATE whose new row fails becomes a DELETE of its key, so a
 * target that holds the row from before drops it instead of keeping it stale; the rules after this one see the DELETE.
 */
record FilterRule(Scope scope, Condition condition) implements Rule {
    @Override
    public boolean apply(Shaping shaping) {
        if (condition.test(shaping) != Verdict.FAIL) {
            return true;
        }
        return shaping.operation == Operation.UPDATE && shaping.becomeDeleteOfKey();
    }

    enum Verdict {
        PASS,
        FAIL,
        /** The change does not carry what the condition reads. */
        UNKNOWN
    }

    /** What a filter asks of a change. Thread-safe. */
    interface Condition {
        Verdict test(Shaping shaping);
    }
}

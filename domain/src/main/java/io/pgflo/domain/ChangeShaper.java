package io.pgflo.domain;

import static java.util.Objects.requireNonNull;

/**
 * Shapes each change before it reaches the sink: the rules (transform, filter, exclude a column), then the routing
 * (rename a table, its columns, keep only some operations). It runs once, in the engine, for streamed changes and for
 * the rows of an initial copy or backfill, so every sink, plugins included, sees the same shaped events. A change left
 * out still moves the checkpoint: its transaction's commit does.
 *
 * <p>Called on the pipeline's thread (or the copy's writing thread); an implementation keeps no per-call state.
 */
@FunctionalInterface
public interface ChangeShaper {
    /** Leaves every change as it is. */
    ChangeShaper NONE = change -> change;

    /** The change to deliver in place of {@code change}, or {@code null} to leave it out. */
    SourceChange shape(SourceChange change);

    /** This shaper, then {@code next} on what it kept. */
    default ChangeShaper andThen(ChangeShaper next) {
        requireNonNull(next, "next is null");
        if (this == NONE) {
            return next;
        }
        if (next == NONE) {
            return this;
        }
        return change -> {
            SourceChange shaped = shape(change);
            return shaped == null ? null : next.shape(shaped);
        };
    }
}

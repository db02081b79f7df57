package io.pgflo.domain;

import io.pgflo.sink.api.BatchCompletionListener;

/** How the domain's sink helpers tell a {@link BatchCompletionListener}. */
final class Completions {
    private Completions() {}

    /** Tells {@code listener}; its failure only costs the engine an early wake-up, never the batch or the save. */
    static void tell(BatchCompletionListener listener) {
        try {
            listener.batchCompleted();
        } catch (RuntimeException ignored) {
            // Nothing to undo and nobody to tell: the engine learns of the batch at its next poll instead.
        }
    }
}

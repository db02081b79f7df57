package io.pgflo.sink.webhook;

import io.pgflo.sink.api.ChangeEvent;
import java.util.ArrayList;
import java.util.List;

/**
 * Events that one lane posts in order, named by their positions in the batch: {@code order[from..to)}, or, without
 * an order, the positions {@code from..to} themselves (one lane, or a barrier), which spares an array per batch.
 * {@code lane} is the lane whose rows these are (0 for a contiguous run).
 */
record Run(int[] order, int from, int to, int lane) {

    static Run contiguous(int from, int to) {
        return new Run(null, from, to, 0);
    }

    /** The batch position of the run's {@code i}-th entry ({@code from <= i < to}). */
    int position(int i) {
        return order == null ? i : order[i];
    }

    /** The events of entries {@code i..j} of this run, for one request. */
    List<ChangeEvent> events(List<ChangeEvent> batch, int i, int j) {
        if (order == null) {
            return batch.subList(i, j);
        }
        if (j - i == 1) {
            return List.of(batch.get(order[i]));
        }
        List<ChangeEvent> events = new ArrayList<>(j - i);
        for (int k = i; k < j; k++) {
            events.add(batch.get(order[k]));
        }
        return events;
    }
}

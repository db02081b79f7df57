package io.pgflo.sink.webhook;

import io.pgflo.sink.api.ChangeEvent;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits a segment of a batch (no barriers in it) into one {@link Run} per lane that has events, each in batch order.
 * Runs carry batch positions, not copies of the events, so that a lane can mark what it delivered in the batch's
 * {@link DeliveredPrefix}. A counting sort: two passes, two arrays, however many lanes.
 */
final class LaneSplit {
    private LaneSplit() {}

    static List<Run> of(List<ChangeEvent> batch, int from, int to, int lanes) {
        int size = to - from;
        int[] laneOf = new int[size];
        int[] starts = new int[lanes + 1];
        for (int i = 0; i < size; i++) {
            int lane = LaneRouter.laneOf(batch.get(from + i), lanes);
            laneOf[i] = lane;
            starts[lane + 1]++;
        }
        for (int lane = 0; lane < lanes; lane++) {
            starts[lane + 1] += starts[lane];
        }
        int[] order = new int[size];
        int[] next = starts.clone();
        for (int i = 0; i < size; i++) {
            order[next[laneOf[i]]++] = from + i;
        }
        List<Run> runs = new ArrayList<>(lanes);
        for (int lane = 0; lane < lanes; lane++) {
            if (starts[lane] < starts[lane + 1]) {
                runs.add(new Run(order, starts[lane], starts[lane + 1], lane));
            }
        }
        return runs;
    }
}

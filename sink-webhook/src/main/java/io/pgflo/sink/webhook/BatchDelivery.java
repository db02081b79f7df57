package io.pgflo.sink.webhook;

import io.pgflo.sink.api.ChangeEvent;
import java.util.List;

/**
 * Posts runs of one batch's events in order, each request with up to batch-size events. Every request that gets a
 * 2xx is marked in the batch's {@link DeliveredPrefix}, and the prefix's checkpoint saved now and then, so that a
 * failure or a stop later in the batch does not send the delivered part again.
 */
final class BatchDelivery {
    private final WebhookSinkConfig config;
    private final WebhookPoster poster;
    private final List<ChangeEvent> events;
    private final DeliveryAbort abort;
    private final DeliveredPrefix delivered;
    private final PrefixCheckpoints checkpoints;

    BatchDelivery(WebhookSinkConfig config, WebhookPoster poster, List<ChangeEvent> events, DeliveryAbort abort,
            DeliveredPrefix delivered, PrefixCheckpoints checkpoints) {
        this.config = config;
        this.poster = poster;
        this.events = events;
        this.abort = abort;
        this.delivered = delivered;
        this.checkpoints = checkpoints;
    }

    /**
     * The whole batch in commit order, one request after the other (one lane). Returns when every event got a 2xx;
     * throws {@link DeliveryFailure} when one did not, {@link DeliveryAbort.Aborted} when {@code abort} stopped it.
     */
    void run() {
        if (!events.isEmpty()) {
            postInOrder(Run.contiguous(0, events.size()));
        }
    }

    /** One request after the other, each with up to batch-size events, in run order. */
    void postInOrder(Run run) {
        int size = config.batchSize();
        for (int from = run.from(); from < run.to(); from += size) {
            int to = Math.min(run.to(), from + size);
            poster.post(run.events(events, from, to), abort);
            delivered.delivered(run, from, to);
            checkpoints.saveIfDue();
        }
    }
}

package io.pgflo.bench;

import java.util.List;

/**
 * pg_flo's webhook sink posting to the harness's own receiver on 127.0.0.1, which answers 200 at once: one event
 * per request, or JSON arrays of up to {@code batchSize} events.
 */
final class PgFloWebhookContender extends PgFloContender {
    private final int batchSize;

    /** @param batchSize 1 for per-event mode, more for batch mode */
    PgFloWebhookContender(int batchSize) {
        this.batchSize = batchSize;
    }

    @Override
    String baseId() {
        return batchSize == 1 ? "webhook" : "webhook-batch";
    }

    @Override
    String baseName() {
        return batchSize == 1 ? "pg_flo webhook" : "pg_flo webhook x" + batchSize;
    }

    @Override
    public String measures() {
        return batchSize == 1
                ? "pg_flo's webhook sink, one POST per event, to a local receiver answering 200"
                : "pg_flo's webhook sink, POSTs of JSON arrays of up to " + batchSize + " events, to a local receiver";
    }

    @Override
    String sink() {
        return "webhook";
    }

    @Override
    public void prepare(BenchContext context, RunSpec run) {
        context.receiver(); // listening before the clock runs
    }

    @Override
    List<String> sinkArguments(BenchContext context, RunSpec run) {
        WebhookReceiver receiver = context.receiver();
        receiver.reset();
        return List.of("--webhook-url", receiver.url(), "--webhook-batch-size", Integer.toString(batchSize));
    }

    @Override
    public Delivery verify(BenchContext context, RunSpec run) {
        return Delivery.received(context.receiver(), run.workload().events());
    }
}

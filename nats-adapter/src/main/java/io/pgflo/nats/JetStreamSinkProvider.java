package io.pgflo.nats;

import io.pgflo.sink.api.OptionSet;
import io.pgflo.sink.api.OptionValues;
import io.pgflo.sink.api.Sink;
import io.pgflo.sink.api.SinkContext;
import io.pgflo.sink.api.SinkProvider;

/**
 * {@code pg_flo replicator} (also {@code pg_flo stream jetstream}): the group's changes published to its JetStream
 * stream, for workers to apply. Its checkpoint is the stream itself: no status file.
 */
public final class JetStreamSinkProvider implements SinkProvider {
    public static final String NAME = "jetstream";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "publish to NATS JetStream for pg_flo workers (pg_flo replicator)";
    }

    @Override
    public OptionSet options() {
        return NatsOptions.replicator();
    }

    @Override
    public boolean capturesDdl(OptionValues options) {
        return options.get(NatsOptions.CAPTURE_DDL);
    }

    @Override
    public Sink create(OptionValues options, SinkContext context) {
        return JetStreamPublisher.open(NatsOptions.natsSettings(options),
                NatsOptions.streamSettings(context.group(), options));
    }
}

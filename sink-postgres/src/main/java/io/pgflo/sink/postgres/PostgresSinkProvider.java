package io.pgflo.sink.postgres;

import io.pgflo.sink.api.Sink;
import io.pgflo.sink.api.SinkContext;
import io.pgflo.sink.api.SinkProvider;

/**
 * {@code pg_flo stream postgres}: replicates into another PostgreSQL database, exactly once, checkpoint in the target's
 * {@code internal_pg_flo.lsn_status}.
 */
public final class PostgresSinkProvider implements SinkProvider<PostgresSinkOptions> {

    @Override
    public String name() {
        return "postgres";
    }

    @Override
    public String description() {
        return "replicate into another PostgreSQL database, exactly once";
    }

    @Override
    public PostgresSinkOptions newOptions() {
        return new PostgresSinkOptions();
    }

    @Override
    public Sink create(PostgresSinkOptions options, SinkContext context) {
        return new PostgresSink(options.toConfig(context));
    }

    @Override
    public boolean capturesDdl(PostgresSinkOptions options) {
        return options.trackDdl();
    }

    /**
     * Yes, unless {@code --stream-large-transactions false}: a source transaction's changes stay in an open target
     * transaction until its commit, and roll back.
     */
    @Override
    public boolean acceptsProvisionalChanges(PostgresSinkOptions options) {
        return options.streamLargeTransactions();
    }
}

package io.pgflo.sink.postgres;

import io.pgflo.sink.api.OptionSet;
import io.pgflo.sink.api.OptionValues;
import io.pgflo.sink.api.Sink;
import io.pgflo.sink.api.SinkContext;
import io.pgflo.sink.api.SinkProvider;

/**
 * {@code pg_flo stream postgres}: replicates into another PostgreSQL database, exactly once, checkpoint in the target's
 * {@code internal_pg_flo.lsn_status}. Its options are {@link PostgresSinkOptions}; the source database comes as the
 * context's {@link io.pgflo.domain.DatabaseEndpoint} capability.
 */
public final class PostgresSinkProvider implements SinkProvider {

    @Override
    public String name() {
        return "postgres";
    }

    @Override
    public String description() {
        return "replicate into another PostgreSQL database, exactly once";
    }

    @Override
    public OptionSet options() {
        return PostgresSinkOptions.ALL;
    }

    @Override
    public Sink create(OptionValues options, SinkContext context) {
        return new PostgresSink(PostgresSinkOptions.toConfig(options, context), context.batchCompletionListener());
    }

    /** Unless {@code --track-ddl false}. */
    @Override
    public boolean capturesDdl(OptionValues options) {
        return options.get(PostgresSinkOptions.TRACK_DDL);
    }

    /**
     * Yes, unless {@code --stream-large-transactions false}: a source transaction's changes stay in an open target
     * transaction until its commit, and roll back.
     */
    @Override
    public boolean acceptsProvisionalChanges(OptionValues options) {
        return options.get(PostgresSinkOptions.STREAM_LARGE_TRANSACTIONS);
    }
}

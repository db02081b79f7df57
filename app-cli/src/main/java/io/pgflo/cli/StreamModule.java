package io.pgflo.cli;

import com.google.inject.AbstractModule;
import io.pgflo.domain.DatabaseEndpoint;
import io.pgflo.domain.DeliveryMonitor;
import io.pgflo.domain.StreamSnapshot;
import io.pgflo.domain.TableRoutes;
import io.pgflo.json.EventJsonEncoder;
import io.pgflo.sink.api.BatchCompletionListener;
import io.pgflo.sink.api.EventEncoder;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import io.pgflo.domain.BatchPolicy;
import io.pgflo.domain.ChangeShaper;
import io.pgflo.domain.ChangeSource;
import io.pgflo.sink.api.ConfigurationException;
import io.pgflo.domain.BackfillMerger;
import io.pgflo.domain.Pipeline;
import io.pgflo.domain.PipelineListener;
import io.pgflo.sink.api.Sink;
import io.pgflo.sink.api.SinkContext;
import io.pgflo.wal.PostgresChangeSource;
import io.pgflo.wal.ReplicationNames;
import io.pgflo.wal.WalSourceConfig;
import java.io.UncheckedIOException;
import java.time.Duration;

/** Wires one stream: the PostgreSQL source, the chosen sink, and the pipeline between them. */
final class StreamModule extends AbstractModule {
    private final SourceOptions options;
    private final SelectedSink selected;
    /** Whether a stream of this process ran before: its slot must still be there (see WalSourceConfig). */
    private final boolean resuming;

    private final PipelineListener listener;
    private final DeliveryMonitor delivery;

    StreamModule(SourceOptions options, SelectedSink selected, boolean resuming, PipelineListener listener,
            DeliveryMonitor delivery) {
        this.options = options;
        this.selected = selected;
        this.resuming = resuming;
        this.listener = listener;
        this.delivery = delivery;
    }

    @Override
    protected void configure() {
        bind(ChangeSource.class).to(PostgresChangeSource.class);
        // One for the pipeline that merges the chunks and the backfill thread that hands them over.
        bind(BackfillMerger.class).in(Singleton.class);
    }

    @Provides
    @Singleton
    WalSourceConfig sourceConfig() {
        return new WalSourceConfig(options.endpoint(), ReplicationNames.forGroup(options.group), options.schema,
                options.tables, options.heartbeatInterval(), Duration.ofSeconds(10),
                // --track-ddl asks for DDL events for any sink; the PostgreSQL sink asks by itself (its own --track-ddl)
                options.trackDdl || selected.capturesDdl(),
                selected.acceptsProvisionalChanges())
                .withSpoolDirectory(options.spoolDir == null ? WalSourceConfig.DEFAULT_SPOOL_DIRECTORY
                        : WritableDirectory.prepare("--spool-dir", options.spoolDir))
                .withStartSnapshot(options.copies()) // a new slot's snapshot, for the copy to read under
                .withSlotMustExist(resuming);
    }

    @Provides
    @Singleton
    PostgresChangeSource source(WalSourceConfig config) {
        return PostgresChangeSource.open(config);
    }

    @Provides
    @Singleton
    SinkContext sinkContext(WalSourceConfig config, PostgresChangeSource source, TableRoutes routes) {
        SinkContext context = new SinkContext(config.names().group(),
                WritableDirectory.prepare("--status-dir", options.statusDir), source.tables())
                .withCapability(EventEncoder.class, new EventJsonEncoder())
                // A sink that finishes batches on a thread of its own says so, and the pipeline, waiting for the
                // source, wakes to hand over what it holds.
                .withCapability(BatchCompletionListener.class, source::wakeUp);
        // The source's endpoint (with its password) goes to built-in sinks only: the PostgreSQL sink reads the source's
        // catalog; a plugin has no business with it. The same for the snapshot the stream starts from (when the source
        // keeps one): that sink reads the schema it copies under it. The delivery monitor (the webhook's requests and
        // retries, for the metrics and readiness) is the host's own business too.
        if (selected.provider() instanceof PluginSinkProvider) {
            return context;
        }
        // Routes too: the PostgreSQL sink creates and alters the routed tables (plugins see the routed events alone).
        SinkContext builtIn = context.withCapability(DatabaseEndpoint.class, config.endpoint())
                .withCapability(TableRoutes.class, routes)
                .withCapability(DeliveryMonitor.class, delivery);
        return source.startSnapshot().map(snapshot -> builtIn.withCapability(StreamSnapshot.class, snapshot))
                .orElse(builtIn);
    }

    @Provides
    @Singleton
    Sink sink(SinkContext context) {
        try {
            return selected.create(context);
        } catch (IllegalArgumentException | IllegalStateException | UncheckedIOException e) {
            // Raised while the sink checks its options and its environment: bad input, reported as such (exit 2).
            throw new ConfigurationException(selected.provider().name() + " sink: " + e.getMessage(), e);
        }
    }

    @Provides
    @Singleton
    BatchPolicy batchPolicy() {
        return options.batchPolicy();
    }

    @Provides
    @Singleton
    Pipeline pipeline(ChangeSource source, Sink sink, BatchPolicy policy, BackfillMerger backfills,
            ChangeShaper shaper) {
        return new Pipeline(source, sink, policy, backfills, listener, shaper);
    }
}

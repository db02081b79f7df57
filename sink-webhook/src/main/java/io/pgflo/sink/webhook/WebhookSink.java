package io.pgflo.sink.webhook;

import static java.util.Objects.requireNonNull;

import io.pgflo.sink.api.Batch;
import io.pgflo.sink.api.BatchCompletionListener;
import io.pgflo.domain.BatchWorker;
import io.pgflo.sink.api.ChangeEvent;
import io.pgflo.domain.CheckpointWriter;
import io.pgflo.domain.CheckpointStore;
import io.pgflo.domain.DeliveryMonitor;
import io.pgflo.sink.api.Position;
import io.pgflo.sink.api.Sink;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.ConnectionPool;
import okhttp3.OkHttpClient;

/**
 * Delivers change events to an HTTP endpoint: a POST per event (or per JSON array of up to
 * {@link WebhookSinkConfig#batchSize()} events), retried as configured, and the batch's checkpoint saved only when
 * every request of the batch (and of every batch before it) got a 2xx. With several lanes, batches go to lanes that
 * outlive a batch ({@link LanePipeline}): a lane waiting to retry holds up only its rows while the others run up to a
 * few batches ahead; with one lane, a batch is delivered on the sink's own thread while the engine gathers the next
 * one. Checkpoints are saved on another thread; {@link #lastCheckpoint()} moves when the save is done, and
 * {@link #flush()} waits for both. Within a batch, the checkpoint follows the transactions
 * delivered in full from its start ({@link DeliveredPrefix}): saved about once a second while the batch is delivered,
 * and at once when it fails or the sink closes. At least once: a failure or a crash repeats the requests after the
 * last checkpoint, with the same {@code Idempotency-Key}s.
 *
 * <p>Order: with one lane, requests go one after the other in commit order. With more, each event goes to the lane of
 * its row (table and key values, see {@link LaneRouter}), lanes run in parallel and each keeps commit order, so every
 * change to a row reaches the receiver after the changes before it; TRUNCATE, DDL and key changes wait for all lanes.
 *
 * <p>Usable on its own: {@code new WebhookSink(config, new JsonStatusFile(path))}. Called from one thread, like every
 * {@link Sink}; the delivery thread, the lanes and the checkpoint writer are its own.
 */
public final class WebhookSink implements Sink {
    private static final AtomicInteger SINK_NUMBERS = new AtomicInteger();
    /** How often, at most, a batch being delivered saves the checkpoint of its delivered prefix. */
    static final Duration PREFIX_SAVE_INTERVAL = Duration.ofSeconds(1);

    private final WebhookSinkConfig config;
    private final CheckpointStore checkpoints;
    private final OkHttpClient client;
    private final WebhookPoster poster;
    /** The lanes, which outlive a batch; null with one lane, whose requests run on the delivery thread. */
    private final LanePipeline lanes;
    private final PrefixCheckpoints prefixes;
    private final BatchWorker delivery;
    private final CheckpointWriter<Position> checkpointWriter;
    private final Duration prefixSaveInterval;
    private volatile Position checkpoint;
    /** The newest checkpoint of a batch handed to the delivery thread. */
    private Position handedOver;
    /** The batch being delivered, so that {@link #close()} can cancel its requests. */
    private volatile DeliveryAbort delivering;
    private volatile boolean closed;

    /** A sink with its own HTTP client (the JDK trust store, HTTP/1.1 or HTTP/2 as the server offers). */
    public WebhookSink(WebhookSinkConfig config, CheckpointStore checkpoints) {
        this(config, checkpoints, new OkHttpClient());
    }

    /**
     * A sink with its own HTTP client that reports its requests and retries to {@code monitor} (the metrics' request
     * counter and the health endpoint's readiness, in pg_flo).
     */
    public WebhookSink(WebhookSinkConfig config, CheckpointStore checkpoints, DeliveryMonitor monitor) {
        this(config, checkpoints, monitor, BatchCompletionListener.NONE);
    }

    /** A sink that also tells {@code completions} each time its checkpoint is saved (or a save failed). */
    public WebhookSink(WebhookSinkConfig config, CheckpointStore checkpoints, DeliveryMonitor monitor,
            BatchCompletionListener completions) {
        this(config, checkpoints, new OkHttpClient(), Clock.systemUTC(), PREFIX_SAVE_INTERVAL, monitor, completions);
    }

    /**
     * A sink whose HTTP client derives from {@code client} (its TLS set-up, proxy, interceptors and dispatcher are
     * kept). The sink sets the call and connect timeouts from the config (and no separate read or write timeout),
     * turns redirects off, sets TCP_NODELAY on its sockets, and uses a connection pool of its own sized for its lanes;
     * {@link #close()} empties that pool and leaves {@code client} alone.
     */
    public WebhookSink(WebhookSinkConfig config, CheckpointStore checkpoints, OkHttpClient client) {
        this(config, checkpoints, client, Clock.systemUTC());
    }

    WebhookSink(WebhookSinkConfig config, CheckpointStore checkpoints, OkHttpClient client, Clock clock) {
        this(config, checkpoints, client, clock, PREFIX_SAVE_INTERVAL);
    }

    WebhookSink(WebhookSinkConfig config, CheckpointStore checkpoints, OkHttpClient client, Clock clock,
            Duration prefixSaveInterval) {
        this(config, checkpoints, client, clock, prefixSaveInterval, DeliveryMonitor.NONE, BatchCompletionListener.NONE);
    }

    WebhookSink(WebhookSinkConfig config, CheckpointStore checkpoints, OkHttpClient client, Clock clock,
            Duration prefixSaveInterval, DeliveryMonitor monitor, BatchCompletionListener completions) {
        this.prefixSaveInterval = requireNonNull(prefixSaveInterval, "prefixSaveInterval is null");
        this.config = requireNonNull(config, "config is null");
        this.checkpoints = requireNonNull(checkpoints, "checkpoints is null");
        requireNonNull(client, "client is null");
        // One deadline per attempt (the call timeout) rather than per socket read and write: those cost a watchdog
        // registration and two extra system calls for every read and write, a fifth of the client's time per event.
        this.client = client.newBuilder()
                .callTimeout(config.requestTimeout())
                .connectTimeout(config.requestTimeout())
                .readTimeout(Duration.ZERO)
                .writeTimeout(Duration.ZERO)
                .followRedirects(false)
                .followSslRedirects(false)
                .connectionPool(new ConnectionPool(Math.max(5, config.lanes()), 5, TimeUnit.MINUTES))
                .socketFactory(client.socketFactory() instanceof NoDelaySocketFactory ? client.socketFactory()
                        : new NoDelaySocketFactory(client.socketFactory()))
                .build();
        this.checkpoint = checkpoints.load();
        this.handedOver = checkpoint;
        this.poster = new WebhookPoster(config, this.client, requireNonNull(clock, "clock is null"),
                requireNonNull(monitor, "monitor is null"));
        int sinkNumber = SINK_NUMBERS.incrementAndGet();
        this.delivery = new BatchWorker("pg_flo-webhook-" + sinkNumber + "-delivery",
                "webhook sink for " + poster.redactedUrl(), this::lastCheckpoint);
        this.checkpointWriter = new CheckpointWriter<>("pg_flo-webhook-" + sinkNumber + "-checkpoint", lsn -> {
            // A prefix's checkpoint can lie beyond a later batch's own: a batch of provisional changes carries the
            // checkpoint before it.
            if (lsn.isAfter(checkpoint)) {
                checkpoints.save(lsn);
                checkpoint = lsn;
            }
        }, completions);
        this.prefixes = new PrefixCheckpoints(checkpointWriter, prefixSaveInterval);
        this.lanes = config.lanes() == 1 ? null
                : new LanePipeline(config, poster, prefixes, checkpointWriter, sinkNumber);
    }

    public WebhookSinkConfig config() {
        return config;
    }

    @Override
    public Position lastCheckpoint() {
        return checkpoint;
    }

    /**
     * Hands the batch to the lanes (with one lane, to the delivery thread, after waiting for the batch before it); once
     * every event of it and of the batches before it got a 2xx, its checkpoint is saved in the background. While it is delivered, and when it stops short, the checkpoint of its
     * delivered prefix is saved (see {@link DeliveredPrefix}).
     *
     * @throws WebhookDeliveryException when a request of the batch before was refused for good or ran out of
     *     attempts; the checkpoint stays before that request's transaction
     */
    @Override
    public void writeBatch(Batch batch) {
        requireNonNull(batch, "batch is null");
        if (closed) {
            throw new IllegalStateException("webhook sink for " + poster.redactedUrl() + " is closed");
        }
        delivery.await();
        Position target = batch.checkpoint();
        boolean advances = target.isAfter(handedOver);
        if (advances) {
            handedOver = target;
        }
        List<ChangeEvent> events = batch.events();
        if (lanes != null) {
            try {
                lanes.deliver(events, target, advances);
            } catch (DeliveryFailure failed) {
                settleCheckpoint();
                throw new WebhookDeliveryException(poster.redactedUrl(), failed, checkpoint);
            }
            return;
        }
        delivery.submit(() -> {
            DeliveryAbort abort = new DeliveryAbort();
            delivering = abort;
            DeliveredPrefix delivered = new DeliveredPrefix(events);
            prefixes.follow(delivered);
            try {
                if (closed) {
                    throw new IllegalStateException("webhook sink for " + poster.redactedUrl() + " is closed");
                }
                new BatchDelivery(config, poster, events, abort, delivered, prefixes).run();
            } catch (DeliveryFailure failed) {
                savePrefix(prefixes, failed);
                settleCheckpoint();
                throw new WebhookDeliveryException(poster.redactedUrl(), failed, checkpoint);
            } catch (RuntimeException stopped) {
                // Closed or interrupted: what got a 2xx stays delivered, and the writer saves it as it closes.
                savePrefix(prefixes, stopped);
                throw stopped;
            } finally {
                delivering = null;
            }
            if (!delivered.complete()) {
                throw new IllegalStateException("webhook delivery to " + poster.redactedUrl() + " returned with "
                        + delivered.length() + " of " + events.size() + " events delivered; the checkpoint stays at "
                        + checkpoint);
            }
            if (advances) {
                checkpointWriter.submit(target);
            }
        });
    }

    /** Waits until every batch handed over is delivered and its checkpoint saved. */
    @Override
    public void flush() {
        if (lanes != null) {
            try {
                lanes.awaitAll();
            } catch (DeliveryFailure failed) {
                settleCheckpoint();
                throw new WebhookDeliveryException(poster.redactedUrl(), failed, checkpoint);
            }
        } else {
            delivery.await();
        }
        checkpointWriter.awaitSaved();
    }

    /**
     * Stops delivering (requests in flight are cancelled; a restart delivers their batch again from its first
     * transaction not delivered in full), saves the checkpoint of what was delivered, and closes idle connections.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        DeliveryAbort current = delivering;
        if (current != null) {
            current.trigger();
        }
        if (lanes != null) {
            lanes.close();
        }
        delivery.stop(Duration.ofSeconds(5), true);
        checkpointWriter.close();
        poster.close();
        client.connectionPool().evictAll();
    }

    /** Hands over the checkpoint of what a batch that stopped short delivered; a failure to do so joins {@code cause}. */
    private static void savePrefix(PrefixCheckpoints prefixCheckpoints, RuntimeException cause) {
        try {
            prefixCheckpoints.saveNow();
        } catch (RuntimeException e) {
            // An earlier save failed, or close() closed the writer already: the checkpoint stays where it was saved.
            cause.addSuppressed(e);
        }
    }

    /** Lets the save of the checkpoint before a failure finish, so that the failure names where a restart resumes. */
    private void settleCheckpoint() {
        try {
            checkpointWriter.awaitSaved();
        } catch (RuntimeException e) {
            // The save's own failure surfaces from the next writeBatch or flush.
        }
    }
}

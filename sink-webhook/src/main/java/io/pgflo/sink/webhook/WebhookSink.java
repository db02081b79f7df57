package io.pgflo.sink.webhook;

import static java.util.Objects.requireNonNull;

import io.pgflo.domain.Batch;
import io.pgflo.domain.ChangeEvent;
import io.pgflo.domain.CheckpointStore;
import io.pgflo.domain.Lsn;
import io.pgflo.domain.Sink;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.ConnectionPool;
import okhttp3.OkHttpClient;

/**
 * Delivers change events to an HTTP endpoint: a POST per event (or per JSON array of up to
 * {@link WebhookSinkConfig#batchSize()} events), retried as configured, and the batch's checkpoint saved only when
 * every request of the batch got a 2xx. At least once: a failure or a crash before the checkpoint repeats the
 * requests after the last checkpoint, with the same {@code Idempotency-Key}s.
 *
 * <p>Order: with one lane, requests go one after the other in commit order. With more, each event goes to the lane of
 * its row (table and key values, see {@link LaneRouter}), lanes run in parallel and each keeps commit order, so every
 * change to a row reaches the receiver after the changes before it; TRUNCATE, DDL and key changes wait for all lanes.
 *
 * <p>Usable on its own: {@code new WebhookSink(config, new JsonStatusFile(path))}. Called from one thread, like every
 * {@link Sink}; the lanes are its own threads.
 */
public final class WebhookSink implements Sink {
    private static final AtomicInteger SINK_NUMBERS = new AtomicInteger();

    private final WebhookSinkConfig config;
    private final CheckpointStore checkpoints;
    private final OkHttpClient client;
    private final WebhookPoster poster;
    private final ExecutorService lanes;
    private Lsn checkpoint;
    private boolean closed;

    /** A sink with its own HTTP client (the JDK trust store, HTTP/1.1 or HTTP/2 as the server offers). */
    public WebhookSink(WebhookSinkConfig config, CheckpointStore checkpoints) {
        this(config, checkpoints, new OkHttpClient());
    }

    /**
     * A sink whose HTTP client derives from {@code client} (its TLS set-up, proxy, interceptors and dispatcher are
     * kept). The sink sets timeouts from the config, turns redirects off, sets TCP_NODELAY on its sockets, and uses a
     * connection pool of its own sized for its lanes; {@link #close()} empties that pool and leaves {@code client} alone.
     */
    public WebhookSink(WebhookSinkConfig config, CheckpointStore checkpoints, OkHttpClient client) {
        this(config, checkpoints, client, Clock.systemUTC());
    }

    WebhookSink(WebhookSinkConfig config, CheckpointStore checkpoints, OkHttpClient client, Clock clock) {
        this.config = requireNonNull(config, "config is null");
        this.checkpoints = requireNonNull(checkpoints, "checkpoints is null");
        requireNonNull(client, "client is null");
        this.client = client.newBuilder()
                .callTimeout(config.requestTimeout())
                .connectTimeout(config.requestTimeout())
                .readTimeout(config.requestTimeout())
                .writeTimeout(config.requestTimeout())
                .followRedirects(false)
                .followSslRedirects(false)
                .connectionPool(new ConnectionPool(Math.max(5, config.lanes()), 5, TimeUnit.MINUTES))
                .socketFactory(client.socketFactory() instanceof NoDelaySocketFactory ? client.socketFactory()
                        : new NoDelaySocketFactory(client.socketFactory()))
                .build();
        this.checkpoint = checkpoints.load();
        this.poster = new WebhookPoster(config, this.client, requireNonNull(clock, "clock is null"));
        this.lanes = config.lanes() == 1 ? null : Executors.newFixedThreadPool(config.lanes(), laneThreads());
    }

    public WebhookSinkConfig config() {
        return config;
    }

    @Override
    public Lsn lastCheckpoint() {
        return checkpoint;
    }

    /**
     * Delivers every event of the batch and returns when each got a 2xx; then saves the batch's checkpoint.
     *
     * @throws WebhookDeliveryException when a request was refused for good or ran out of attempts; the checkpoint stays
     */
    @Override
    public void writeBatch(Batch batch) {
        requireNonNull(batch, "batch is null");
        if (closed) {
            throw new IllegalStateException("webhook sink for " + poster.redactedUrl() + " is closed");
        }
        try {
            deliver(batch.events());
        } catch (DeliveryFailure failure) {
            throw new WebhookDeliveryException(poster.redactedUrl(), failure, checkpoint);
        }
        if (batch.checkpoint().isAfter(checkpoint)) {
            checkpoints.save(batch.checkpoint());
            checkpoint = batch.checkpoint();
        }
    }

    /** Stops the lanes and closes idle connections. Everything acknowledged is already checkpointed. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (lanes != null) {
            lanes.shutdownNow();
            try {
                lanes.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        client.connectionPool().evictAll();
    }

    private void deliver(List<ChangeEvent> events) {
        if (events.isEmpty()) {
            return;
        }
        if (lanes == null) {
            postInOrder(events, null);
            return;
        }
        int segmentStart = 0;
        for (int i = 0; i < events.size(); i++) {
            ChangeEvent event = events.get(i);
            if (LaneRouter.isBarrier(event)) {
                postInLanes(events.subList(segmentStart, i));
                postInOrder(List.of(event), null);
                segmentStart = i + 1;
            }
        }
        postInLanes(events.subList(segmentStart, events.size()));
    }

    /** One request after the other, each with up to batch-size events, in list order. */
    private void postInOrder(List<ChangeEvent> events, DeliveryAbort abort) {
        int size = config.batchSize();
        for (int from = 0; from < events.size(); from += size) {
            poster.post(events.subList(from, Math.min(events.size(), from + size)), abort);
        }
    }

    /** Splits a segment (no barriers in it) by lane and runs the lanes in parallel; returns when all have finished. */
    private void postInLanes(List<ChangeEvent> segment) {
        if (segment.isEmpty()) {
            return;
        }
        int laneCount = config.lanes();
        List<List<ChangeEvent>> byLane = new ArrayList<>(laneCount);
        for (int i = 0; i < laneCount; i++) {
            byLane.add(new ArrayList<>());
        }
        for (ChangeEvent event : segment) {
            byLane.get(LaneRouter.laneOf(event, laneCount)).add(event);
        }
        byLane.removeIf(List::isEmpty);
        if (byLane.size() == 1) {
            postInOrder(byLane.get(0), null);
            return;
        }
        DeliveryAbort abort = new DeliveryAbort();
        CompletionService<Void> completion = new ExecutorCompletionService<>(lanes);
        for (List<ChangeEvent> laneEvents : byLane) {
            completion.submit(() -> {
                abort.enter();
                try {
                    postInOrder(laneEvents, abort);
                } finally {
                    abort.exit();
                }
                return null;
            });
        }
        RuntimeException failure = null;
        boolean interrupted = false;
        for (int finished = 0; finished < byLane.size(); ) {
            Future<Void> lane;
            try {
                lane = completion.take();
            } catch (InterruptedException e) {
                interrupted = true;
                abort.trigger();
                continue;
            }
            finished++;
            try {
                lane.get();
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                if (cause instanceof DeliveryAbort.Aborted) {
                    continue;
                }
                if (failure == null) {
                    failure = cause instanceof RuntimeException runtime ? runtime
                            : new IllegalStateException("webhook lane failed: " + cause, cause);
                    abort.trigger();
                }
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
            if (failure == null) {
                throw new IllegalStateException("interrupted while delivering to " + poster.redactedUrl()
                        + "; the checkpoint stays at " + checkpoint);
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    private static ThreadFactory laneThreads() {
        int sink = SINK_NUMBERS.incrementAndGet();
        AtomicInteger lane = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, "pg_flo-webhook-" + sink + "-lane-" + lane.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}

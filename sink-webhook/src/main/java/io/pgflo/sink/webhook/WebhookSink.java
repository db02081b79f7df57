package io.pgflo.sink.webhook;

import static java.util.Objects.requireNonNull;

import io.pgflo.domain.Batch;
import io.pgflo.domain.BatchWorker;
import io.pgflo.domain.ChangeEvent;
import io.pgflo.domain.CheckpointWriter;
import io.pgflo.domain.CheckpointStore;
import io.pgflo.domain.Lsn;
import io.pgflo.domain.Sink;
import java.time.Clock;
import java.time.Duration;
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
 * every request of the batch got a 2xx. A batch is delivered on the sink's own thread while the engine gathers the
 * next one, and its checkpoint saved on another while the next batch is delivered; {@link #lastCheckpoint()} moves
 * when the save is done, and {@link #flush()} waits for both. At least once: a failure or a crash before the checkpoint repeats the
 * requests after the last checkpoint, with the same {@code Idempotency-Key}s.
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

    private final WebhookSinkConfig config;
    private final CheckpointStore checkpoints;
    private final OkHttpClient client;
    private final WebhookPoster poster;
    private final ExecutorService lanes;
    private final BatchWorker delivery;
    private final CheckpointWriter<Lsn> checkpointWriter;
    private volatile Lsn checkpoint;
    /** The newest checkpoint of a batch handed to the delivery thread. */
    private Lsn handedOver;
    /** The batch being delivered, so that {@link #close()} can cancel its requests. */
    private volatile DeliveryAbort delivering;
    private volatile boolean closed;

    /** A sink with its own HTTP client (the JDK trust store, HTTP/1.1 or HTTP/2 as the server offers). */
    public WebhookSink(WebhookSinkConfig config, CheckpointStore checkpoints) {
        this(config, checkpoints, new OkHttpClient());
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
        this.poster = new WebhookPoster(config, this.client, requireNonNull(clock, "clock is null"));
        int sinkNumber = SINK_NUMBERS.incrementAndGet();
        this.lanes = config.lanes() == 1 ? null : Executors.newFixedThreadPool(config.lanes(), laneThreads(sinkNumber));
        this.delivery = new BatchWorker("pg_flo-webhook-" + sinkNumber + "-delivery",
                "webhook sink for " + poster.redactedUrl(), this::lastCheckpoint);
        this.checkpointWriter = new CheckpointWriter<>("pg_flo-webhook-" + sinkNumber + "-checkpoint", lsn -> {
            checkpoints.save(lsn);
            checkpoint = lsn;
        });
    }

    public WebhookSinkConfig config() {
        return config;
    }

    @Override
    public Lsn lastCheckpoint() {
        return checkpoint;
    }

    /**
     * Hands the batch to the delivery thread, after waiting for the batch before it; once every event of it got a 2xx,
     * its checkpoint is saved in the background.
     *
     * @throws WebhookDeliveryException when a request of the batch before was refused for good or ran out of
     *     attempts; the checkpoint stays before it
     */
    @Override
    public void writeBatch(Batch batch) {
        requireNonNull(batch, "batch is null");
        if (closed) {
            throw new IllegalStateException("webhook sink for " + poster.redactedUrl() + " is closed");
        }
        delivery.await();
        Lsn target = batch.checkpoint();
        boolean advances = target.isAfter(handedOver);
        if (advances) {
            handedOver = target;
        }
        List<ChangeEvent> events = batch.events();
        delivery.submit(() -> {
            DeliveryAbort abort = new DeliveryAbort();
            delivering = abort;
            try {
                if (closed) {
                    throw new IllegalStateException("webhook sink for " + poster.redactedUrl() + " is closed");
                }
                deliver(events, abort);
            } catch (DeliveryFailure failed) {
                settleCheckpoint();
                throw new WebhookDeliveryException(poster.redactedUrl(), failed, checkpoint);
            } finally {
                delivering = null;
            }
            if (advances) {
                checkpointWriter.submit(target);
            }
        });
    }

    /** Waits until every batch handed over is delivered and its checkpoint saved. */
    @Override
    public void flush() {
        delivery.await();
        checkpointWriter.awaitSaved();
    }

    /**
     * Stops delivering (requests in flight are cancelled, their batch is delivered again after a restart), saves the
     * checkpoint of what was delivered, and closes idle connections.
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
            lanes.shutdownNow();
        }
        try {
            if (lanes != null) {
                lanes.awaitTermination(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        delivery.stop(Duration.ofSeconds(5), true);
        checkpointWriter.close();
        client.connectionPool().evictAll();
    }

    /** Lets the save of the checkpoint before a failure finish, so that the failure names where a restart resumes. */
    private void settleCheckpoint() {
        try {
            checkpointWriter.awaitSaved();
        } catch (RuntimeException e) {
            // The save's own failure surfaces from the next writeBatch or flush.
        }
    }

    /** The batch's requests; {@code abort} stops them all (a lane's failure, or {@link #close()}). */
    private void deliver(List<ChangeEvent> events, DeliveryAbort abort) {
        if (events.isEmpty()) {
            return;
        }
        if (lanes == null) {
            postInOrder(events, abort);
            return;
        }
        int segmentStart = 0;
        for (int i = 0; i < events.size(); i++) {
            ChangeEvent event = events.get(i);
            if (LaneRouter.isBarrier(event)) {
                postInLanes(events.subList(segmentStart, i), abort);
                postInOrder(List.of(event), abort);
                segmentStart = i + 1;
            }
        }
        postInLanes(events.subList(segmentStart, events.size()), abort);
    }

    /** One request after the other, each with up to batch-size events, in list order. */
    private void postInOrder(List<ChangeEvent> events, DeliveryAbort abort) {
        int size = config.batchSize();
        for (int from = 0; from < events.size(); from += size) {
            poster.post(events.subList(from, Math.min(events.size(), from + size)), abort);
        }
    }

    /** Splits a segment (no barriers in it) by lane and runs the lanes in parallel; returns when all have finished. */
    private void postInLanes(List<ChangeEvent> segment, DeliveryAbort abort) {
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
            postInOrder(byLane.get(0), abort);
            return;
        }
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

    private static ThreadFactory laneThreads(int sink) {
        AtomicInteger lane = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, "pg_flo-webhook-" + sink + "-lane-" + lane.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}

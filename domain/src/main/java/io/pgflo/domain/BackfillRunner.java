package io.pgflo.domain;

import static java.util.Objects.requireNonNull;

import io.pgflo.sink.api.Position;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * Runs the backfills asked for, one chunk at a time, beside the stream: reads a chunk, hands it to the
 * {@link BackfillMerger}, writes its watermark, waits until the pipeline put the rows in and the sink made them durable,
 * then records how far it got, so that a restart goes on from there. No snapshot is held between chunks.
 */
public final class BackfillRunner implements Runnable {
    private final BackfillSource source;
    private final BackfillMerger merger;
    private final Supplier<Position> durable;
    private final int chunkRows;
    private final Duration idle;
    private final Listener listener;
    /** Random per run: a watermark written by another run, or by another login, is not one this run waits for. */
    private final String nonce = HexFormat.of().formatHex(new SecureRandom().generateSeed(8));
    private volatile boolean stopRequested;
    private int marks;

    /** What a backfill did, for the log. */
    public interface Listener {
        /** @param estimatedRows the table's rows as the server estimates them; 0 when unknown */
        default void started(BackfillRequest request, long estimatedRows) {}

        default void chunk(BackfillRequest request, long rowsDone) {}

        default void completed(BackfillRequest request, long rowsDone) {}
    }

    /**
     * @param durable the position the sink has made durable (the pipeline's)
     * @param chunkRows rows per chunk
     * @param idle how long to wait between looks for new requests
     */
    public BackfillRunner(BackfillSource source, BackfillMerger merger, Supplier<Position> durable, int chunkRows,
            Duration idle, Listener listener) {
        this.source = requireNonNull(source, "source is null");
        this.merger = requireNonNull(merger, "merger is null");
        this.durable = requireNonNull(durable, "durable is null");
        this.listener = requireNonNull(listener, "listener is null");
        this.idle = requireNonNull(idle, "idle is null");
        if (chunkRows < 1) {
            throw new IllegalArgumentException("a backfill chunk must hold at least 1 row, got " + chunkRows);
        }
        this.chunkRows = chunkRows;
    }

    /** Runs until {@link #stop()}; a failure is thrown (the stream goes on; the request is taken up again later). */
    @Override
    public void run() {
        try {
            while (!stopRequested) {
                List<BackfillRequest> pending = source.pending();
                for (BackfillRequest request : pending) {
                    if (stopRequested) {
                        return;
                    }
                    backfill(request);
                }
                if (pending.isEmpty()) {
                    Thread.sleep(idle.toMillis());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public void stop() {
        stopRequested = true;
    }

    private void backfill(BackfillRequest request) throws InterruptedException {
        listener.started(request, source.estimatedRows(request));
        merger.track(request.table());
        try {
            List<String> afterKey = request.afterKey();
            long rows = request.rowsDone();
            while (!stopRequested) {
                BackfillChunk chunk = source.read(request, afterKey, chunkRows);
                String content = nonce + ":" + request.id() + ":" + marks++;
                CompletableFuture<Position> emitted = merger.offer(content, chunk);
                source.mark(content);
                Position position = await(emitted);
                if (position == null) {
                    merger.withdraw(content);
                    return;
                }
                awaitDurable(position);
                if (stopRequested) {
                    return;
                }
                rows += chunk.rows().size();
                if (chunk.lastKey() != null) {
                    afterKey = chunk.lastKey();
                    source.progressed(request, afterKey, rows);
                }
                listener.chunk(request, rows);
                if (chunk.last()) {
                    source.completed(request);
                    listener.completed(request, rows);
                    return;
                }
            }
        } finally {
            merger.untrack(request.table());
        }
    }

    /** The position the rows went in at, or null when stopped first. */
    private Position await(CompletableFuture<Position> emitted) throws InterruptedException {
        while (!stopRequested) {
            try {
                return emitted.get(100, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                // look at the stop flag again
            } catch (CancellationException e) {
                return null;
            } catch (ExecutionException e) {
                throw new IllegalStateException(e.getCause());
            }
        }
        return null;
    }

    private void awaitDurable(Position position) throws InterruptedException {
        while (!stopRequested && position.compareTo(durable.get()) > 0) {
            Thread.sleep(20);
        }
    }
}

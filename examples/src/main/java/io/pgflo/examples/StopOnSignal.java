package io.pgflo.examples;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Ctrl-C or SIGTERM as a stop request for a stream run from {@code main}. The JVM runs its shutdown hooks and then
 * exits, so the hook asks the stream to stop and waits (up to 30 s) for {@link #close()}: the stream gets to write
 * and checkpoint what is committed before the process ends.
 */
final class StopOnSignal implements AutoCloseable {
    private final CompletableFuture<Void> requested = new CompletableFuture<>();
    private final CountDownLatch finished = new CountDownLatch(1);

    private StopOnSignal() {}

    static StopOnSignal install() {
        StopOnSignal signal = new StopOnSignal();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            signal.requested.complete(null);
            try {
                signal.finished.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "stop-on-signal"));
        return signal;
    }

    /** Completes when a signal asks the process to stop. */
    CompletionStage<Void> requested() {
        return requested;
    }

    /** The stream has ended: the process may exit. */
    @Override
    public void close() {
        finished.countDown();
    }
}

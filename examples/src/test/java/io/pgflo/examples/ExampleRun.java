package io.pgflo.examples;

import io.pgflo.sink.api.Position;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

/** One run of an example's {@code run} method on a thread of its own, and the stop request a test sends it. */
final class ExampleRun implements AutoCloseable {
    static final Duration PATIENCE = Duration.ofSeconds(15);

    /** An example's {@code run}, given the stop request. */
    @FunctionalInterface
    interface Program {
        Position run(CompletionStage<?> stopRequested) throws Exception;
    }

    private final CompletableFuture<Void> stopRequested = new CompletableFuture<>();
    private final FutureTask<Position> task;

    private ExampleRun(Program program) {
        this.task = new FutureTask<>(() -> program.run(stopRequested));
    }

    static ExampleRun start(String name, Program program) {
        ExampleRun run = new ExampleRun(program);
        Thread thread = new Thread(run.task, name);
        thread.setDaemon(true);
        thread.start();
        return run;
    }

    /** Waits until {@code condition} holds; fails when the program ends meanwhile (it runs until asked to stop). */
    void awaitUntil(String what, BooleanSupplier condition) {
        Await.until(what, condition, this::assertRunning);
    }

    /** Fails when the program has ended by itself: it runs until asked to stop. */
    void assertRunning() {
        if (task.isDone()) {
            throw new AssertionError("the program ended before it was asked to stop", failure());
        }
    }

    /** Asks the program to stop; returns the checkpoint it returned. Fails unless it returns within {@link #PATIENCE}. */
    Position stop() throws InterruptedException {
        stopRequested.complete(null);
        try {
            return task.get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new AssertionError("the program failed instead of stopping cleanly", e.getCause());
        } catch (TimeoutException e) {
            throw new AssertionError("the program did not stop within " + PATIENCE);
        }
    }

    /** Stops it if it still runs (a test that failed midway), whatever the outcome. */
    @Override
    public void close() {
        stopRequested.complete(null);
        try {
            task.get(30, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            // The test has failed already, or is failing for that very reason; its own assertion says more.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private Throwable failure() {
        try {
            task.get();
            return null;
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return e;
        }
    }
}

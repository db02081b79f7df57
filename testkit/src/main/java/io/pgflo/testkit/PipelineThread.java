package io.pgflo.testkit;

import io.pgflo.domain.Pipeline;
import java.time.Duration;

/**
 * A {@link Pipeline} running on a thread of its own, for tests: whatever stops it with an exception is kept, and
 * stopping waits for it to end.
 */
public final class PipelineThread implements AutoCloseable {
    private final Pipeline pipeline;
    private final Thread thread;
    private volatile Throwable failure;

    private PipelineThread(Pipeline pipeline, String name) {
        this.pipeline = pipeline;
        this.thread = new Thread(() -> {
            try {
                pipeline.run();
            } catch (Throwable e) {
                failure = e;
            }
        }, name);
    }

    /** Starts {@code pipeline} on a thread named {@code name}. */
    public static PipelineThread start(Pipeline pipeline, String name) {
        PipelineThread running = new PipelineThread(pipeline, name);
        running.thread.start();
        return running;
    }

    /** What ended the pipeline with an exception, or null. */
    public Throwable failure() {
        return failure;
    }

    public boolean isAlive() {
        return thread.isAlive();
    }

    /** Waits at most {@code timeout} for the pipeline to end by itself; returns whether it has. */
    public boolean join(Duration timeout) {
        try {
            thread.join(timeout.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return !thread.isAlive();
    }

    /** Asks the pipeline to stop and waits at most {@code timeout} for it; returns whether it has ended. */
    public boolean stop(Duration timeout) {
        pipeline.stop();
        return join(timeout);
    }

    /** Stops it, waiting at most 30 s. */
    @Override
    public void close() {
        stop(Duration.ofSeconds(30));
    }
}

package io.pgflo.sink.api;

/**
 * Told by a sink each time a batch it returned from early (see {@link Sink}) finishes on a thread of the sink's own:
 * made durable, with {@link Sink#lastCheckpoint()} moved past it, or failed. The engine holds what commits while the
 * sink is busy, to hand it over in one batch once the sink is free; told at once, it does so then, instead of when the
 * next change arrives or its wait for one times out. A sink that makes each batch durable before
 * {@link Sink#writeBatch} returns has nothing to tell.
 *
 * <p>The host grants one to every sink ({@link SinkContext#batchCompletionListener()}). Cheap, and safe to call from
 * any thread.
 */
@FunctionalInterface
public interface BatchCompletionListener {
    /** Tells nobody: for a sink used without the engine. */
    BatchCompletionListener NONE = () -> {};

    void batchCompleted();
}

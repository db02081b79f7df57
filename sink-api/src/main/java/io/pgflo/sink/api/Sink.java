package io.pgflo.sink.api;

import java.util.Optional;

/**
 * Where change events go. Called from one thread only (a {@link BulkLoader} it offers has rules of its own).
 *
 * <p>The contract that makes resume lossless: {@link #lastCheckpoint()} returns the checkpoint of the last batch
 * whose events are durable, now and after a restart, and the pipeline acknowledges to the source nothing past it.
 * The simplest sink makes each batch durable before {@link #writeBatch} returns. A faster one may return earlier, so
 * that its I/O for one batch overlaps the engine's work on the next, and move {@link #lastCheckpoint()} when the
 * batch is durable, and tell its context's {@link SinkContext#batchCompletionListener() listener}; {@link #flush()}
 * then waits for that.
 *
 * <p>A sink that cannot make a batch durable throws, from {@link #writeBatch} or, for a batch it already returned
 * from, from the next {@link #writeBatch} or {@link #flush()}; the pipeline then stops without acknowledging
 * anything past the last checkpoint.
 */
public interface Sink extends AutoCloseable {

    /**
     * The checkpoint of the last batch made durable, or {@link Position#START} when the sink has none. Called often,
     * from the thread that writes (keep it cheap: a volatile read). On start, the stream resumes after it: a position
     * inside a transaction ({@link Position#of}) has that transaction delivered again from the change after it.
     */
    Position lastCheckpoint();

    /**
     * Writes the batch and records its checkpoint durably, before returning or (see the class comment) soon after.
     * May be called with an empty batch to move the checkpoint.
     */
    void writeBatch(Batch batch);

    /**
     * Undoes the provisional changes of the open transaction written so far (see {@link ChangeEvent#provisional()}):
     * they were never committed on the source, or will come again at their commit. Called in order with
     * {@link #writeBatch}, only on a sink whose provider {@link SinkProvider#acceptsProvisionalChanges accepts
     * provisional changes}; a sink that makes writes visible before their transaction's checkpoint cannot.
     */
    default void discardOpenTransaction() {
        throw new UnsupportedOperationException(getClass().getName() + " cannot discard the changes of an unfinished "
                + "transaction; its provider must not accept provisional changes");
    }

    /**
     * A loader for an initial copy's rows that loads parts of tables in parallel ({@link BulkLoader}), or empty (the
     * default): the copy then comes through {@link #writeBatch} as {@link Operation#READ} changes, from one thread.
     * Called once per copy, before it starts; the caller closes the loader.
     *
     * @param parallelism how many parts the copy loads at once at most
     */
    default Optional<BulkLoader> bulkLoader(int parallelism) {
        return Optional.empty();
    }

    /** Blocks until every batch written so far is durable; throws if one cannot be made durable. */
    default void flush() {}

    /** Releases resources. Must not lose anything already durable. */
    @Override
    void close();
}

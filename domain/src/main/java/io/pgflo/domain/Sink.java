package io.pgflo.domain;

/**
 * Where change events go. Called from one thread only.
 *
 * <p>The contract that makes resume lossless: when {@link #writeBatch} returns, the batch's events and its
 * checkpoint are durable together, and {@link #lastCheckpoint()} returns that checkpoint, now and after a restart.
 * A sink that cannot make a batch durable throws; the pipeline then stops without acknowledging anything past
 * the last checkpoint.
 */
public interface Sink extends AutoCloseable {

    /** The checkpoint of the last batch made durable, or {@link Lsn#ZERO} when the sink has none. */
    Lsn lastCheckpoint();

    /** Writes the batch and records its checkpoint durably. May be called with an empty batch to move the checkpoint. */
    void writeBatch(Batch batch);

    /** Releases resources. Must not lose anything already written. */
    @Override
    void close();
}

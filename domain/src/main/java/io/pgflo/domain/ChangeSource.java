package io.pgflo.domain;

import io.pgflo.sink.api.Lsn;
import io.pgflo.sink.api.Position;
import java.time.Duration;
import java.util.Optional;

/**
 * A stream of committed changes in commit order. Used from one thread.
 *
 * <p>Every transaction arrives as its change events followed by one {@link TransactionCommit}. A transaction may
 * arrive with no events at all (a heartbeat), so that an idle stream can still move its checkpoint.
 */
public interface ChangeSource extends AutoCloseable {

    /**
     * Starts streaming. Changes {@code resumeAfter} covers ({@link Position#covers}) are not delivered: whole
     * transactions up to it, and, for a position inside a transaction, that transaction's changes up to its ordinal.
     * {@link Position#START} means "wherever the source's own position is".
     */
    void start(Position resumeAfter);

    /**
     * Called once, after the source is made and before the sink is: a source may begin here what {@link #start} needs
     * (a server's own start-up, say), so that it overlaps with the sink's. Optional on both sides: {@link #start} alone
     * must do all of it, and by default this does nothing.
     */
    default void prepareToStart() {}

    /**
     * Called instead of {@link #start} when the run fails before it (the sink could not be made, say): a run that never
     * streamed must leave the source as it found it, so the source removes what making it created. Does nothing once
     * started, and by default. {@link #close} is still called afterwards.
     */
    default void abandonIfNotStarted() {}

    /**
     * The snapshot the stream starts from, when the source made its starting point just now and was asked to keep it
     * (for an initial copy): read under it, the tables show exactly what the stream does not deliver. Empty otherwise,
     * and by default. Kept until {@link #releaseSnapshot()} or {@link #start}.
     */
    default Optional<StreamSnapshot> startSnapshot() {
        return Optional.empty();
    }

    /** Lets go of the {@link #startSnapshot()}, once every reader has taken it; by default there is none. */
    default void releaseSnapshot() {}

    /**
     * Makes a {@link #poll} that is waiting now, or else the next one, return null at once: the sink has finished a
     * batch, so what the pipeline holds may go now. From any thread. A source that cannot cut its wait short ignores
     * it (the default), and the pipeline learns at the end of that wait.
     */
    default void wakeUp() {}

    /**
     * Whether the source has handed over everything it has (it is waiting for the server), not merely nothing at this
     * instant: what the pipeline holds committed may then be written without waiting for more. By default, true.
     */
    default boolean caughtUp() {
        return true;
    }

    /** The next message, or null if none arrived within the timeout. */
    SourceMessage poll(Duration timeout) throws InterruptedException;

    /**
     * Tells the source that everything up to and including {@code durable} is safely in the sink, so the source may
     * release it. Never called with a position the sink has not made durable.
     */
    void acknowledge(Lsn durable);

    @Override
    void close();
}

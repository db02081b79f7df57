package io.pgflo.domain;

import io.pgflo.sink.api.Lsn;
import java.time.Duration;

/**
 * A stream of committed changes in commit order. Used from one thread.
 *
 * <p>Every transaction arrives as its change events followed by one {@link TransactionCommit}. A transaction may
 * arrive with no events at all (a heartbeat), so that an idle stream can still move its checkpoint.
 */
public interface ChangeSource extends AutoCloseable {

    /**
     * Starts streaming. Transactions whose commit ends at or before {@code resumeAfter} are not delivered;
     * {@link Lsn#ZERO} means "wherever the source's own position is".
     */
    void start(Lsn resumeAfter);

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

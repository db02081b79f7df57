package io.pgflo.sink.postgres;

import io.pgflo.sink.postgres.RowChange.Shape;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.ArrayList;
import java.util.List;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * A COPY of fresh rows into one table that stays open while more rows of the same shape come, across groups and across
 * the batches of one source transaction. The target parses the rows already sent while the sink plans the next ones;
 * a COPY per group made the target wait at each group's end for the sink to plan and start the next.
 *
 * <p>It runs inside a savepoint and keeps the rows it took, so that a COPY the target refuses at its end is undone and
 * its rows can go in with INSERT ... ON CONFLICT instead. That bounds it: once {@link #full()}, no more rows join it.
 * The bound is small: the rows kept are live when a young collection comes, which copies them while the whole
 * pipeline waits (25,000 rows doubled the pauses of a million-row transaction).
 */
final class OpenCopy {
    /** Two batches of the default size: the rows of one batch, and of the next while it is planned. */
    static final int MAX_ROWS = 10_000;
    /** The same bound for wide rows. */
    static final long MAX_BYTES = 16L << 20;

    private final Shape shape;
    private final Savepoint savepoint;
    private final List<RowChange> rows = new ArrayList<>();
    private CopyIn copy;
    private long bytes;

    /** @param savepoint set just before, in the transaction the rows go into */
    OpenCopy(Shape shape, Savepoint savepoint) {
        this.shape = shape;
        this.savepoint = savepoint;
    }

    Shape shape() {
        return shape;
    }

    /** Every row appended, including those of an append that failed. */
    List<RowChange> rows() {
        return rows;
    }

    boolean full() {
        return rows.size() >= MAX_ROWS || bytes >= MAX_BYTES;
    }

    /** Sends the rows, starting the COPY on the first call; they are kept until the COPY ends. */
    void append(Connection connection, List<RowChange> more) throws SQLException {
        rows.addAll(more);
        if (copy == null) {
            copy = connection.unwrap(PGConnection.class).getCopyAPI().copyIn(CopyRows.statement(shape));
        }
        CopyRows.encode(more, (buffer, offset, length) -> {
            copy.writeToCopy(buffer, offset, length);
            bytes += length;
        });
    }

    /** Pushes what the driver buffers to the target, so that it has every row sent so far while the sink waits. */
    void push() throws SQLException {
        if (copy != null) {
            copy.flushCopy();
        }
    }

    /** Ends the COPY and releases its savepoint; throws the target's answer when it refused the COPY. */
    void end(Connection connection) throws SQLException {
        if (copy != null) {
            copy.endCopy();
        }
        connection.releaseSavepoint(savepoint);
    }

    /**
     * Undoes a COPY that failed: ends it if the driver still has it open, then rolls back to the savepoint.
     *
     * @throws SQLException when the connection cannot do that (it is broken)
     */
    void undo(Connection connection) throws SQLException {
        cancel();
        connection.rollback(savepoint);
    }

    /** Abandons the COPY with the transaction it is in (which the caller rolls back); never throws. */
    void abandon() {
        try {
            cancel();
        } catch (SQLException e) {
            // The connection is broken or the COPY ended; the rollback that follows, or the reconnect, sorts it out.
        }
    }

    private void cancel() throws SQLException {
        if (copy != null && copy.isActive()) {
            copy.cancelCopy();
        }
    }
}

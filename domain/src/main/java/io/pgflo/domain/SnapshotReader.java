package io.pgflo.domain;

import io.pgflo.sink.api.TableName;
import java.util.List;
import java.util.function.Consumer;

/**
 * Reads tables' rows as one snapshot of the source shows them: the rows of an initial copy, which the stream then
 * continues from the snapshot's position. Made with the snapshot already taken (or imported) by every connection it
 * reads with, so that whoever exported the snapshot may let go of it once this exists.
 *
 * <p>{@link #read} may be called from several threads at once, each call reading on a connection of its own.
 */
public interface SnapshotReader extends AutoCloseable {

    /**
     * A name for the rows this reader sees: two readers have the same name only when they see the same rows, so that
     * the parts one planned mean the same to the other. A copy's parts are named with it ({@link
     * io.pgflo.sink.api.BulkLoader}), so that none loaded under another snapshot is taken for one of this copy.
     */
    String snapshotName();

    /** Splits the table into parts of about {@code chunkBytes} each, as the snapshot sees it; at least one part. */
    List<CopyChunk> plan(TableName table, long chunkBytes);

    /** About how many rows the table has (the server's estimate); 0 when it does not know. */
    long estimatedRows(TableName table);

    /**
     * Reads one part, handing each row to {@code rows} as a {@link io.pgflo.sink.api.Operation#READ} change with
     * ordinal 0 (the caller numbers them), in the order read. Blocks until done; throws with the table and part named
     * when the part cannot be read.
     */
    void read(CopyChunk chunk, Consumer<SourceChange> rows) throws InterruptedException;

    @Override
    void close();
}

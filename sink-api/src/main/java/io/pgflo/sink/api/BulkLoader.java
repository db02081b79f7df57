package io.pgflo.sink.api;

import java.util.List;
import java.util.Set;

/**
 * A sink's fast way in for an initial copy: the parts of a table are loaded in parallel, each in a transaction of the
 * sink's own that also records the part as loaded, so that a part the sink holds is never loaded twice. Offered by
 * {@link Sink#bulkLoader}; a sink without one receives the copy through {@link Sink#writeBatch}.
 *
 * <p>A part is named by the copy ({@code copyId}) and its own id ({@code partId}). The ids mean something only under the
 * snapshot the copy reads: the copy id changes with it, and the loader treats what another copy loaded as rows to
 * remove, never to keep (see {@link #prepare}).
 *
 * <p>Threads: {@link #prepare}, {@link #finish}, {@link #complete} and {@link #close} are called from the copy's one
 * coordinating thread; {@link #open} from several threads at once, each load then used by its thread alone.
 */
public interface BulkLoader extends AutoCloseable {

    /**
     * Makes {@code table} ready for the parts {@code partIds} of copy {@code copyId}, and returns those of them the
     * sink holds already (loaded by an earlier run of this very copy): they are not loaded again. Whatever else the
     * sink holds of the table from an earlier copy (rows of another copy id, or of parts not in {@code partIds}) is
     * removed first. Called once per table, before any of its parts is opened.
     *
     * @throws ConfigurationException when the table holds rows that no copy loaded and the sink may not replace
     */
    Set<String> prepare(String copyId, TableName table, List<String> partIds);

    /** Starts loading one part of a table {@link #prepare prepared} for the copy; from any thread. */
    PartLoad open(String copyId, TableName table, String partId);

    /** Every part of {@code table} is loaded: whatever {@link #prepare} set aside for the load is put back. */
    void finish(TableName table);

    /** The copy is complete and the sink's checkpoint after it durable: the parts' records may go. */
    void complete();

    /**
     * Ends the loader; a table prepared and not finished (a copy that failed or was stopped) is left loadable and
     * usable: what {@link #prepare} set aside is put back. Never undoes a committed part.
     */
    @Override
    void close();

    /** The load of one part: rows in, then one commit that makes them and the part's record durable together. */
    interface PartLoad extends AutoCloseable {

        /** One row of the part: a {@link Operation#READ} change. */
        void write(ChangeEvent row);

        /** Makes the rows written and the part's record durable, together; throws when it cannot. */
        void commit();

        /** Ends the load; an uncommitted one is undone. */
        @Override
        void close();
    }
}

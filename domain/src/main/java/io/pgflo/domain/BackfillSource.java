package io.pgflo.domain;

import java.util.List;

/** Where backfill requests come from, and how a backfill reads the source and records how far it got. */
public interface BackfillSource extends AutoCloseable {

    /** The requests not completed yet, oldest first. */
    List<BackfillRequest> pending();

    /**
     * Reads the next at most {@code rows} rows of the request's table after {@code afterKey} (null: from the start), in
     * key order, in one query; says which transactions that query saw.
     */
    BackfillChunk read(BackfillRequest request, List<String> afterKey, int rows);

    /** About how many rows the request's table has (the server's estimate), for progress; 0 when unknown. */
    default long estimatedRows(BackfillRequest request) {
        return 0;
    }

    /** Writes {@code content} into the stream, transactionally, as a {@link Watermark}. */
    void mark(String content);

    /** Records that the rows up to {@code lastKey} are durable in the sink, {@code rowsDone} in all. */
    void progressed(BackfillRequest request, List<String> lastKey, long rowsDone);

    /** Records that the request is complete. */
    void completed(BackfillRequest request);

    @Override
    void close();
}

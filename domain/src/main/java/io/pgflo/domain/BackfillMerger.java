package io.pgflo.domain;

import io.pgflo.sink.api.ColumnValue;
import io.pgflo.sink.api.Operation;
import io.pgflo.sink.api.Position;
import io.pgflo.sink.api.Row;
import io.pgflo.sink.api.TableName;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Puts a backfill's chunks into the stream where they belong (the DBLog method, with PostgreSQL's visibility instead
 * of a window between two watermarks).
 *
 * <p>A chunk is read in one query while the stream goes on; right after, a {@link Watermark} is written, and the chunk's
 * rows go into the stream where that watermark arrives. A row the stream changed in between must not go in: the
 * chunk's copy of it would overwrite the newer change. In PostgreSQL, the order of commit records is not the order in
 * which transactions become visible, so which streamed changes the chunk already holds is decided by the query's
 * snapshot: every change streamed since the table's backfill began, by a transaction the query did not see, takes its
 * row (old and new key) out of the chunk. The stream delivers that change (or a later one) itself.
 *
 * <p>{@link #observe} and {@link #arrived} are called on the pipeline's thread; {@link #track}, {@link #offer} and
 * {@link #untrack} on the backfill's.
 */
public final class BackfillMerger {
    /** Changes streamed to tracked tables: key values to the last transaction that changed the row. */
    private final Map<TableName, Map<List<String>, Long>> changed = new ConcurrentHashMap<>();
    private final Map<String, Offered> offered = new ConcurrentHashMap<>();

    private record Offered(BackfillChunk chunk, CompletableFuture<Position> emitted) {}

    /** Starts noting the changes streamed to {@code table}; before its first chunk is read. */
    public void track(TableName table) {
        changed.put(table, new ConcurrentHashMap<>());
    }

    public void untrack(TableName table) {
        changed.remove(table);
    }

    /**
     * Hands over a chunk read, before its watermark {@code content} is written. The future completes, on the pipeline's
     * thread, with the position of the chunk's last change once the watermark arrived and the rows went in.
     */
    public CompletableFuture<Position> offer(String content, BackfillChunk chunk) {
        CompletableFuture<Position> emitted = new CompletableFuture<>();
        offered.put(content, new Offered(chunk, emitted));
        return emitted;
    }

    /** Withdraws a chunk whose watermark will not come (the backfill stopped). */
    public void withdraw(String content) {
        Offered gone = offered.remove(content);
        if (gone != null) {
            gone.emitted.cancel(false);
        }
    }

    void observe(SourceChange change) {
        if (changed.isEmpty() || change.operation() == Operation.READ) {
            return;
        }
        Map<List<String>, Long> keys = changed.get(new TableName(change.schema(), change.table()));
        if (keys == null) {
            return;
        }
        note(keys, change, change.newRow());
        note(keys, change, change.oldRow());
    }

    /** The changes to add to the stream at this watermark (none when it is not one this backfill is waiting for). */
    List<SourceChange> arrived(Watermark watermark) {
        Offered waiting = offered.remove(watermark.content());
        if (waiting == null) {
            return List.of(); // an earlier run's, or anyone's: logical messages are not pg_flo's alone
        }
        BackfillChunk chunk = waiting.chunk;
        Map<List<String>, Long> keys = changed.getOrDefault(chunk.table(), new HashMap<>());
        List<SourceChange> rows = new ArrayList<>(chunk.rows().size() + 1);
        int ordinal = watermark.nextOrdinal();
        for (SourceChange row : chunk.rows()) {
            Long xid = keys.get(key(row, row.newRow()));
            if (xid != null && !chunk.snapshot().sees(xid)) {
                continue; // the stream changed this row after the query read it
            }
            rows.add(row.numbered(watermark.commitLsn(), watermark.commitLsn(), watermark.commitTime(), ordinal++));
        }
        if (chunk.last()) {
            rows.add(new SourceChange(Operation.COPY_DONE, chunk.table().schema(), chunk.table().table(),
                    watermark.commitLsn(), watermark.commitLsn(), 0, watermark.commitTime(), ordinal++,
                    chunk.rows().isEmpty() ? List.of() : chunk.rows().get(0).keyColumns(), null, null, null));
        }
        // Transactions older than every one the query could not see are seen by every later query too.
        keys.values().removeIf(chunk.snapshot()::before);
        waiting.emitted.complete(Position.of(watermark.commitLsn(), Math.max(0, ordinal - 1)));
        return rows;
    }

    private static void note(Map<List<String>, Long> keys, SourceChange change, Row row) {
        if (row != null) {
            keys.put(key(change, row), change.xid());
        }
    }

    /** The key's values as text, in key order; empty when the table has no key. */
    static List<String> key(SourceChange change, Row row) {
        List<String> key = new ArrayList<>(change.keyColumns().size());
        for (String column : change.keyColumns()) {
            key.add(row.get(column).map(ColumnValue::text).orElse(null));
        }
        return key;
    }

    /** Number of changed rows noted for {@code table} (for tests and progress). */
    int noted(TableName table) {
        return changed.getOrDefault(table, new HashMap<>()).size();
    }
}

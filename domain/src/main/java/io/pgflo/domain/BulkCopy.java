package io.pgflo.domain;

import io.pgflo.sink.api.Batch;
import io.pgflo.sink.api.BulkLoader;
import io.pgflo.sink.api.Lsn;
import io.pgflo.sink.api.Operation;
import io.pgflo.sink.api.Position;
import io.pgflo.sink.api.Sink;
import io.pgflo.sink.api.TableName;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * One run of an initial copy into a sink's {@link BulkLoader}: each worker reads a part and streams its rows straight
 * into a part load on its own thread (no hand-over, so memory stays bounded by what the reader and the loader buffer),
 * and the part commits with its record in the sink. The calling thread only coordinates: it prepares each table,
 * waits for parts, and once all of a table's parts are in, has the loader finish the table, writes the table's
 * {@link Operation#COPY_DONE} through {@link Sink#writeBatch} (numbered on from the sink's checkpoint, as the one-thread
 * path numbers its rows) and records the table as finished.
 *
 * <p>Rows are shaped ({@link ChangeShaper}) on the worker that reads them, before the part load sees them: a row left
 * out is not loaded, and a shaped row must stay in its table (a rename is for the one-thread path).
 */
final class BulkCopy {
    private static final long POLL_MILLIS = 50;
    private static final long STOP_WAIT_SECONDS = 60;

    private final SnapshotReader reader;
    private final BulkLoader loader;
    private final Sink sink;
    private final CopyProgressStore progress;
    private final CopySettings settings;
    private final ChangeShaper shaper;
    private final PipelineListener listener;
    private final CopyStats stats;
    private final BooleanSupplier stopRequested;
    private final Lsn consistentPoint;
    private final Lsn commitLsn;
    private final Instant commitTime = Instant.now();
    private final Set<TableName> finished;
    private final Map<TableName, List<String>> keys = new ConcurrentHashMap<>();
    private volatile boolean abandoned;
    private int nextOrdinal;

    BulkCopy(SnapshotReader reader, BulkLoader loader, Sink sink, CopyProgressStore progress, CopySettings settings,
            CopyStats stats, BooleanSupplier stopRequested, Lsn consistentPoint, Set<TableName> finished,
            int firstOrdinal, ChangeShaper shaper, PipelineListener listener) {
        this.shaper = shaper;
        this.listener = listener;
        this.reader = reader;
        this.loader = loader;
        this.sink = sink;
        this.progress = progress;
        this.settings = settings;
        this.stats = stats;
        this.stopRequested = stopRequested;
        this.consistentPoint = consistentPoint;
        this.commitLsn = InitialCopy.rowsCommitLsn(consistentPoint);
        this.finished = finished;
        this.nextOrdinal = firstOrdinal;
    }

    /** The part's id within its copy: its place in the plan and its range, so that another plan never matches it. */
    static String partId(CopyChunk chunk) {
        return chunk.index() + "/" + chunk.count() + ":" + chunk.start() + "-"
                + (chunk.end() == CopyChunk.OPEN ? "" : Long.toString(chunk.end()));
    }

    /** Copies {@code tables}; true when all are finished, false when stopped; throws the first part's failure. */
    boolean copy(List<TableName> tables) throws InterruptedException {
        // The consistent point alone is not enough: a resumed copy keeps it but reads under a new snapshot.
        String copyId = consistentPoint + "/" + reader.snapshotName();
        Map<TableName, List<CopyChunk>> plans = new LinkedHashMap<>();
        Map<TableName, Long> estimates = new HashMap<>();
        for (TableName table : tables) {
            plans.put(table, reader.plan(table, settings.chunkBytes()));
            estimates.put(table, reader.estimatedRows(table));
        }
        stats.plan(tables, estimates);
        List<CopyChunk> todo = new ArrayList<>();
        Map<TableName, Integer> partsLeft = new HashMap<>();
        List<TableName> alreadyLoaded = new ArrayList<>();
        for (Map.Entry<TableName, List<CopyChunk>> plan : plans.entrySet()) {
            List<String> ids = plan.getValue().stream().map(BulkCopy::partId).toList();
            Set<String> loaded = loader.prepare(copyId, plan.getKey(), ids);
            int left = 0;
            for (CopyChunk chunk : plan.getValue()) {
                if (!loaded.contains(partId(chunk))) {
                    todo.add(chunk);
                    left++;
                }
            }
            partsLeft.put(plan.getKey(), left);
            if (left == 0) {
                alreadyLoaded.add(plan.getKey());
            }
        }
        for (TableName table : alreadyLoaded) {
            tableLoaded(table);
        }
        if (todo.isEmpty()) {
            return true;
        }
        BlockingQueue<Outcome> outcomes = new LinkedBlockingQueue<>();
        ExecutorService workers = Executors.newFixedThreadPool(Math.min(settings.workers(), todo.size()),
                InitialCopy.threads());
        RuntimeException failure = null;
        try {
            for (CopyChunk chunk : todo) {
                workers.execute(() -> outcomes.add(load(copyId, chunk)));
            }
            int partsToGo = todo.size();
            while (partsToGo > 0 && !stopRequested.getAsBoolean()) {
                Outcome outcome = outcomes.poll(POLL_MILLIS, TimeUnit.MILLISECONDS);
                if (outcome == null) {
                    continue;
                }
                if (outcome.error() != null) {
                    failure = outcome.error();
                    break;
                }
                partsToGo--;
                TableName table = outcome.chunk().table();
                if (partsLeft.merge(table, -1, Integer::sum) == 0) {
                    tableLoaded(table);
                }
            }
        } finally {
            // Parts in flight are abandoned (rolled back by the loader); those committed stay recorded.
            abandoned = true;
            workers.shutdownNow();
            if (!workers.awaitTermination(STOP_WAIT_SECONDS, TimeUnit.SECONDS)) {
                failure = failure != null ? failure : new IllegalStateException("the copy's workers did not stop within "
                        + STOP_WAIT_SECONDS + " s");
            }
        }
        if (failure != null) {
            throw failure;
        }
        return !stopRequested.getAsBoolean() || finished.containsAll(tables);
    }

    /** Reads one part into a part load and commits it; on a worker thread. */
    private Outcome load(String copyId, CopyChunk chunk) {
        TableName table = chunk.table();
        try (BulkLoader.PartLoad part = loader.open(copyId, table, partId(chunk))) {
            reader.read(chunk, row -> {
                if (abandoned) {
                    throw new Abandoned();
                }
                SourceChange shaped = shaper.shape(row);
                if (shaped == null) {
                    listener.filtered(row);
                    return;
                }
                if (!shaped.schema().equals(table.schema()) || !shaped.table().equals(table.table())) {
                    // The part loads into the table it was prepared for; a row shaped into another cannot go there.
                    throw new IllegalStateException("a rule or route turned a row of " + table + " into one of "
                            + shaped.schema() + "." + shaped.table() + ", which a bulk load cannot follow");
                }
                keys.putIfAbsent(table, shaped.keyColumns());
                part.write(shaped);
                stats.written(table, shaped.valueBytes());
            });
            if (abandoned) {
                throw new Abandoned();
            }
            part.commit();
            return new Outcome(chunk, null);
        } catch (InterruptedException | Abandoned e) {
            Thread.currentThread().interrupt();
            return new Outcome(chunk, new Abandoned());
        } catch (RuntimeException e) {
            return new Outcome(chunk, e);
        }
    }

    /** All of a table's parts are in the sink: the loader puts back what it set aside, then the table is done. */
    private void tableLoaded(TableName table) {
        loader.finish(table);
        int ordinal = nextOrdinal++;
        SourceChange done = new SourceChange(Operation.COPY_DONE, table.schema(), table.table(), consistentPoint,
                commitLsn, 0, commitTime, ordinal, keys.getOrDefault(table, List.of()), null, null, null);
        sink.writeBatch(Batch.of(List.of(done), Position.of(commitLsn, ordinal)));
        sink.flush();
        finished.add(table);
        stats.finished(table);
        progress.save(new CopyState(consistentPoint, finished));
    }

    /** How a part's load ended: {@code error} null when it committed. */
    private record Outcome(CopyChunk chunk, RuntimeException error) {}

    /** Thrown through the reader's callback when the copy has ended and the part is no longer wanted. */
    private static final class Abandoned extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Abandoned() {
            super("the copy ended before this part was loaded", null, false, false);
        }
    }
}

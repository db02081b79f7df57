package io.pgflo.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgflo.sink.api.Batch;
import io.pgflo.sink.api.BulkLoader;
import io.pgflo.sink.api.ChangeEvent;
import io.pgflo.sink.api.Column;
import io.pgflo.sink.api.ColumnType;
import io.pgflo.sink.api.ColumnValue;
import io.pgflo.sink.api.Lsn;
import io.pgflo.sink.api.Operation;
import io.pgflo.sink.api.Position;
import io.pgflo.sink.api.Row;
import io.pgflo.sink.api.Sink;
import io.pgflo.sink.api.TableName;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class InitialCopyTest {
    private static final Column ID = new Column("id", new ColumnType(23, "integer", 23, 0), true);
    private static final Lsn START = Lsn.of(0x5000);
    private static final TableName A = new TableName("public", "a");
    private static final TableName B = new TableName("public", "b");
    private static final TableName EMPTY = new TableName("public", "empty");
    private static final CopySettings SETTINGS = new CopySettings(3, 100, new BatchPolicy(7, Duration.ofHours(1)));

    @Test
    void copiesEveryRowOnceNumberedJustBeforeTheStreamAndEndsAtItsStart() throws Exception {
        TablesReader reader = new TablesReader(Map.of(A, 250, B, 40, EMPTY, 0), 10);
        RecordingSink sink = new RecordingSink(Position.START);
        MemoryProgress progress = new MemoryProgress();
        InitialCopy copy = new InitialCopy(reader, sink, progress, SETTINGS);

        assertThat(copy.run(List.of(A, B, EMPTY), START)).isTrue();

        List<ChangeEvent> events = sink.events();
        assertThat(events).hasSize(290 + 3).allSatisfy(event -> {
            assertThat(event.lsn()).as("the copy's LSN: where the stream starts").isEqualTo(START);
            assertThat(event.commitLsn()).isEqualTo(Lsn.of(START.value() - 1));
        });
        assertThat(events).extracting(ChangeEvent::ordinal).as("numbered in the order written")
                .containsExactlyElementsOf(range(0, 293));
        for (TableName table : List.of(A, B, EMPTY)) {
            List<ChangeEvent> ofTable = events.stream().filter(e -> e.table().equals(table.table())).toList();
            assertThat(ofTable.get(ofTable.size() - 1).operation()).as("%s ends with its COPY_DONE", table)
                    .isEqualTo(Operation.COPY_DONE);
            assertThat(ofTable.subList(0, ofTable.size() - 1)).allMatch(e -> e.operation() == Operation.READ);
        }
        List<ChangeEvent> rows = events.stream().filter(e -> e.operation() == Operation.READ).toList();
        assertThat(rows).hasSize(290);
        assertThat(rows).extracting(row -> row.qualifiedTable() + ":" + row.newRow().text("id")).doesNotHaveDuplicates();
        assertThat(sink.batches).allSatisfy(batch -> assertThat(batch.size()).isLessThanOrEqualTo(7));
        assertThat(sink.batches.get(0).checkpoint()).isEqualTo(Position.of(Lsn.of(START.value() - 1), 6));
        Batch last = sink.batches.get(sink.batches.size() - 1);
        assertThat(last.isEmpty()).isTrue();
        assertThat(last.checkpoint()).as("the stream starts after it").isEqualTo(Position.afterTransaction(START));
        assertThat(progress.completed).isTrue();
        assertThat(progress.saved).as("each table recorded once durable").last()
                .satisfies(state -> assertThat(state.finished()).containsExactlyInAnyOrder(A, B, EMPTY));
        assertThat(reader.partsRead).hasSize(25 + 4 + 1);
        assertThat(copy.stats().rows()).isEqualTo(290);
        assertThat(copy.stats().table(A).finished()).isTrue();
    }

    @Test
    void copiedRowsAreShapedAndOnesLeftOutAreNeitherNumberedNorWritten() throws Exception {
        RecordingSink sink = new RecordingSink(Position.START);
        List<SourceChange> filtered = Collections.synchronizedList(new ArrayList<>());
        InitialCopy copy = oddMarkedCopyOf20Rows(sink, filtered);

        assertThat(copy.run(List.of(A), START)).isTrue();

        List<ChangeEvent> rows = sink.events().stream().filter(e -> e.operation() == Operation.READ).toList();
        assertThat(rows).extracting(row -> row.newRow().text("id")).containsExactlyInAnyOrder("1!", "3!", "5!", "7!",
                "9!", "11!", "13!", "15!", "17!", "19!");
        assertThat(sink.events()).extracting(ChangeEvent::ordinal).as("numbered densely, gaps left by none")
                .containsExactlyElementsOf(range(0, 11));
        assertThat(filtered).hasSize(10);
        assertThat(copy.stats().rows()).isEqualTo(10);
        assertThat(sink.lastCheckpoint()).isEqualTo(Position.afterTransaction(START));
    }

    @Test
    void aBulkCopyShapesEachRowOnItsWorkerBeforeTheLoaderSeesIt() throws Exception {
        LoadingSink sink = new LoadingSink(Position.START);
        List<SourceChange> filtered = Collections.synchronizedList(new ArrayList<>());
        InitialCopy copy = oddMarkedCopyOf20Rows(sink, filtered);

        assertThat(copy.run(List.of(A), START)).isTrue();

        List<String> rows = new ArrayList<>();
        sink.loader.committed.values().forEach(rows::addAll);
        assertThat(rows).containsExactlyInAnyOrder("public.a:1!", "public.a:3!", "public.a:5!", "public.a:7!",
                "public.a:9!", "public.a:11!", "public.a:13!", "public.a:15!", "public.a:17!", "public.a:19!");
        assertThat(filtered).hasSize(10);
        assertThat(sink.events()).singleElement().satisfies(done -> assertThat(done.operation())
                .isEqualTo(Operation.COPY_DONE));
    }

    /** A copy of table a's 20 rows through {@link TestEvents#ODD_MARKED}, reporting the rows it leaves out. */
    private static InitialCopy oddMarkedCopyOf20Rows(Sink sink, List<SourceChange> filtered) {
        return new InitialCopy(new TablesReader(Map.of(A, 20), 10), sink, new MemoryProgress(), SETTINGS,
                TestEvents.ODD_MARKED, new PipelineListener() {
                    @Override
                    public void filtered(SourceChange change) {
                        filtered.add(change);
                    }
                });
    }

    @Test
    void aCopyStoppedAndRunAgainSkipsTheTablesItFinishedAndNumbersOn() throws Exception {
        TablesReader reader = new TablesReader(Map.of(A, 30, B, 500), 10);
        reader.afterRows = 200; // the stop arrives while table b is read
        RecordingSink sink = new RecordingSink(Position.START);
        MemoryProgress progress = new MemoryProgress();
        InitialCopy first = new InitialCopy(reader, sink, progress, new CopySettings(1, 100,
                new BatchPolicy(7, Duration.ofHours(1))));
        reader.onRows = first::stop;

        assertThat(first.run(List.of(A, B), START)).isFalse();
        assertThat(progress.completed).isFalse();
        assertThat(progress.load()).get().satisfies(state -> assertThat(state.finished()).containsExactly(A));
        Position stoppedAt = sink.lastCheckpoint();
        assertThat(stoppedAt.wholeTransaction()).isFalse();

        TablesReader again = new TablesReader(Map.of(A, 30, B, 500), 10);
        RecordingSink restarted = new RecordingSink(stoppedAt);
        InitialCopy second = new InitialCopy(again, restarted, progress, SETTINGS);
        assertThat(second.run(List.of(A, B), START)).isTrue();

        assertThat(again.partsRead).as("a is not read again").allMatch(part -> part.table().equals(B));
        assertThat(restarted.events()).hasSize(500 + 1);
        assertThat(restarted.events().get(0).ordinal()).as("numbered on after the checkpoint")
                .isEqualTo(stoppedAt.ordinal() + 1);
        assertThat(restarted.lastCheckpoint()).isEqualTo(Position.afterTransaction(START));
        assertThat(progress.completed).isTrue();
    }

    @Test
    void aSinkAlreadyPastTheCopysPointHasTheCopyRecordedCompleteWithoutReadingAnything() throws Exception {
        TablesReader reader = new TablesReader(Map.of(A, 30), 10);
        RecordingSink sink = new RecordingSink(Position.afterTransaction(Lsn.of(START.value() + 100)));
        MemoryProgress progress = new MemoryProgress();
        progress.save(new CopyState(START, Set.of()));

        assertThat(new InitialCopy(reader, sink, progress, SETTINGS).run(List.of(A), START)).isTrue();
        assertThat(reader.partsRead).isEmpty();
        assertThat(sink.batches).isEmpty();
        assertThat(progress.completed).isTrue();
    }

    @Test
    void aPartThatCannotBeReadStopsTheCopyWithTheFinishedTablesRecorded() {
        TablesReader reader = new TablesReader(new LinkedHashMap<>(Map.of(A, 20)), 10);
        reader.tables.put(B, 50);
        reader.failing = B;
        RecordingSink sink = new RecordingSink(Position.START);
        MemoryProgress progress = new MemoryProgress();
        InitialCopy copy = new InitialCopy(reader, sink, progress, new CopySettings(1, 100,
                new BatchPolicy(7, Duration.ofHours(1))));

        assertThatThrownBy(() -> copy.run(List.of(A, B), START)).hasMessageContaining("cannot read public.b part");
        assertThat(progress.completed).isFalse();
        assertThat(progress.load()).get().satisfies(state -> assertThat(state.finished()).containsExactly(A));
    }

    @Test
    void aSinkWithABulkLoaderGetsEachPartOnTheReadingThreadInATransactionOfItsOwn() throws Exception {
        TablesReader reader = new TablesReader(Map.of(A, 250, B, 40, EMPTY, 0), 10);
        LoadingSink sink = new LoadingSink(Position.START);
        MemoryProgress progress = new MemoryProgress();
        InitialCopy copy = new InitialCopy(reader, sink, progress, SETTINGS);

        assertThat(copy.run(List.of(A, B, EMPTY), START)).isTrue();

        MemoryLoader loader = sink.loader;
        assertThat(loader.committed).hasSize(25 + 4 + 1);
        assertThat(loader.committed.keySet()).allMatch(part -> part.startsWith(START + "/snap-1|"));
        List<String> rows = new ArrayList<>();
        loader.committed.values().forEach(rows::addAll);
        assertThat(rows).hasSize(290).doesNotHaveDuplicates();
        assertThat(loader.threads).as("loaded on the workers, never on the coordinating thread")
                .doesNotContain(Thread.currentThread().getName()).hasSizeGreaterThan(1);
        assertThat(loader.abandoned).isEmpty();
        assertThat(loader.prepared).containsExactly(A, B, EMPTY);
        assertThat(loader.finished).containsExactlyInAnyOrder(A, B, EMPTY);
        assertThat(loader.completed).isTrue();
        assertThat(loader.closed).isTrue();
        assertThat(sink.events()).as("no row goes through writeBatch; each table's end does").hasSize(3)
                .allMatch(event -> event.operation() == Operation.COPY_DONE);
        assertThat(sink.events()).extracting(ChangeEvent::ordinal).containsExactly(0, 1, 2);
        assertThat(sink.events()).filteredOn(event -> event.table().equals("a")).singleElement()
                .satisfies(done -> assertThat(done.keyColumns()).as("the key its rows had").containsExactly("id"));
        assertThat(sink.lastCheckpoint()).isEqualTo(Position.afterTransaction(START));
        assertThat(progress.completed).isTrue();
        assertThat(copy.stats().rows()).isEqualTo(290);
    }

    @Test
    void aBulkCopySkipsThePartsTheLoaderHoldsFromThisVeryCopyAndNoOthers() throws Exception {
        TablesReader reader = new TablesReader(Map.of(A, 50), 10);
        LoadingSink sink = new LoadingSink(Position.START);
        sink.loader.held.put(START + "/snap-1", Set.of(BulkCopy.partId(reader.plan(A, 100).get(0)),
                BulkCopy.partId(reader.plan(A, 100).get(3))));
        sink.loader.held.put(START + "/snap-0", Set.of(BulkCopy.partId(reader.plan(A, 100).get(1))));

        assertThat(new InitialCopy(reader, sink, new MemoryProgress(), SETTINGS).run(List.of(A), START)).isTrue();

        assertThat(reader.partsRead).extracting(CopyChunk::index).containsExactlyInAnyOrder(1, 2, 4);
        assertThat(sink.loader.finished).containsExactly(A);
    }

    @Test
    void aPartThatCannotBeLoadedStopsTheBulkCopyAndUndoesNothingCommitted() {
        TablesReader reader = new TablesReader(new LinkedHashMap<>(Map.of(A, 20)), 10);
        reader.tables.put(B, 50);
        reader.failing = B;
        LoadingSink sink = new LoadingSink(Position.START);
        MemoryProgress progress = new MemoryProgress();
        InitialCopy copy = new InitialCopy(reader, sink, progress, new CopySettings(1, 100,
                new BatchPolicy(7, Duration.ofHours(1))));

        assertThatThrownBy(() -> copy.run(List.of(A, B), START)).hasMessageContaining("cannot read public.b part");
        assertThat(progress.completed).isFalse();
        assertThat(progress.load()).get().satisfies(state -> assertThat(state.finished()).containsExactly(A));
        assertThat(sink.loader.committed).hasSize(2);
        assertThat(sink.loader.abandoned).isNotEmpty();
        assertThat(sink.loader.finished).containsExactly(A);
        assertThat(sink.loader.completed).isFalse();
        assertThat(sink.loader.closed).isTrue();
    }

    @Test
    void aStoppedBulkCopyAbandonsThePartsInFlightAndReturnsFalse() throws Exception {
        TablesReader reader = new TablesReader(Map.of(A, 500), 10);
        reader.afterRows = 100;
        // Without it, on a busy machine the workers may load all 50 parts before the coordinator polls the stop.
        reader.slowAfterRowsMillis = 2;
        LoadingSink sink = new LoadingSink(Position.START);
        MemoryProgress progress = new MemoryProgress();
        InitialCopy copy = new InitialCopy(reader, sink, progress, SETTINGS);
        reader.onRows = copy::stop;

        assertThat(copy.run(List.of(A), START)).isFalse();
        assertThat(progress.completed).isFalse();
        assertThat(sink.loader.committed.size()).isLessThan(50);
        assertThat(sink.loader.completed).isFalse();
        assertThat(sink.loader.closed).isTrue();
    }

    private static List<Integer> range(int from, int to) {
        List<Integer> values = new ArrayList<>();
        for (int i = from; i < to; i++) {
            values.add(i);
        }
        return values;
    }

    /** Tables of integer ids 0..n-1, in parts of {@code rowsPerPart} rows; reads on whatever thread calls. */
    private static final class TablesReader implements SnapshotReader {
        final Map<TableName, Integer> tables;
        final int rowsPerPart;
        final List<CopyChunk> partsRead = new CopyOnWriteArrayList<>();
        TableName failing;
        int afterRows = Integer.MAX_VALUE;
        Runnable onRows = () -> {};
        /** Each row after {@code afterRows} takes this long to read: a copy's coordinator sees its stop first. */
        long slowAfterRowsMillis;
        private int rowsRead;

        TablesReader(Map<TableName, Integer> tables, int rowsPerPart) {
            this.tables = new LinkedHashMap<>(tables);
            this.rowsPerPart = rowsPerPart;
        }

        @Override
        public List<CopyChunk> plan(TableName table, long chunkBytes) {
            int parts = Math.max(1, (tables.get(table) + rowsPerPart - 1) / rowsPerPart);
            List<CopyChunk> chunks = new ArrayList<>();
            for (int i = 0; i < parts; i++) {
                chunks.add(new CopyChunk(table, i, parts, (long) i * rowsPerPart,
                        i == parts - 1 ? CopyChunk.OPEN : (long) (i + 1) * rowsPerPart));
            }
            return chunks;
        }

        @Override
        public String snapshotName() {
            return "snap-1";
        }

        @Override
        public long estimatedRows(TableName table) {
            return tables.get(table);
        }

        @Override
        public void read(CopyChunk chunk, Consumer<SourceChange> rows) throws InterruptedException {
            partsRead.add(chunk);
            if (chunk.table().equals(failing)) {
                throw new IllegalStateException("cannot read " + chunk + ": permission denied");
            }
            long end = chunk.end() == CopyChunk.OPEN ? tables.get(chunk.table()) : chunk.end();
            for (long id = chunk.start(); id < end; id++) {
                Row row = new Row(List.of(ColumnValue.text(ID, Long.toString(id))));
                rows.accept(new SourceChange(Operation.READ, chunk.table().schema(), chunk.table().table(), Lsn.ZERO,
                        Lsn.ZERO, 0, Instant.EPOCH, 0, List.of("id"), row, null, null));
                boolean slow;
                synchronized (this) {
                    if (++rowsRead == afterRows) {
                        onRows.run();
                    }
                    slow = rowsRead > afterRows && slowAfterRowsMillis > 0;
                }
                if (slow) {
                    Thread.sleep(slowAfterRowsMillis);
                }
            }
        }

        @Override
        public void close() {}
    }

    /** Makes each batch durable when the next is written, or at a flush, as a sink with background I/O does. */
    private static class RecordingSink implements Sink {
        final List<Batch> batches = new ArrayList<>();
        private Position pending;
        private Position durable;

        RecordingSink(Position start) {
            this.pending = start;
            this.durable = start;
        }

        List<ChangeEvent> events() {
            List<ChangeEvent> events = new ArrayList<>();
            batches.forEach(batch -> events.addAll(batch.events()));
            return events;
        }

        @Override
        public Position lastCheckpoint() {
            return durable;
        }

        @Override
        public void writeBatch(Batch batch) {
            durable = pending;
            batches.add(batch);
            pending = batch.checkpoint();
        }

        @Override
        public void flush() {
            durable = pending;
        }

        @Override
        public void close() {}
    }

    /** A sink whose bulk loader keeps each part's rows in memory, and what it was told. */
    private static final class LoadingSink extends RecordingSink {
        final MemoryLoader loader = new MemoryLoader();

        LoadingSink(Position start) {
            super(start);
        }

        @Override
        public Optional<BulkLoader> bulkLoader(int parallelism) {
            return Optional.of(loader);
        }
    }

    private static final class MemoryLoader implements BulkLoader {
        final Map<String, Set<String>> held = new ConcurrentHashMap<>();
        final Map<String, List<String>> committed = new ConcurrentHashMap<>();
        final Set<String> abandoned = ConcurrentHashMap.newKeySet();
        final Set<String> threads = ConcurrentHashMap.newKeySet();
        final List<TableName> prepared = new ArrayList<>();
        final List<TableName> finished = new ArrayList<>();
        volatile boolean completed;
        volatile boolean closed;

        @Override
        public Set<String> prepare(String copyId, TableName table, List<String> partIds) {
            prepared.add(table);
            Set<String> loaded = new HashSet<>(held.getOrDefault(copyId, Set.of()));
            loaded.retainAll(partIds);
            return loaded;
        }

        @Override
        public PartLoad open(String copyId, TableName table, String partId) {
            assertThat(prepared).contains(table);
            String name = copyId + "|" + table + "|" + partId;
            threads.add(Thread.currentThread().getName());
            List<String> rows = new ArrayList<>();
            return new PartLoad() {
                private boolean done;

                @Override
                public void write(ChangeEvent row) {
                    rows.add(row.qualifiedTable() + ":" + row.newRow().text("id"));
                }

                @Override
                public void commit() {
                    assertThat(committed.put(name, List.copyOf(rows))).as("%s loaded once", name).isNull();
                    done = true;
                }

                @Override
                public void close() {
                    if (!done) {
                        abandoned.add(name);
                    }
                }
            };
        }

        @Override
        public void finish(TableName table) {
            finished.add(table);
        }

        @Override
        public void complete() {
            completed = true;
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    private static final class MemoryProgress implements CopyProgressStore {
        final List<CopyState> saved = Collections.synchronizedList(new ArrayList<>());
        boolean completed;
        private CopyState state;

        @Override
        public Optional<CopyState> load() {
            return completed ? Optional.empty() : Optional.ofNullable(state);
        }

        @Override
        public void save(CopyState state) {
            this.state = new CopyState(state.consistentPoint(), new HashSet<>(state.finished()));
            saved.add(this.state);
            completed = false;
        }

        @Override
        public void complete() {
            completed = true;
        }
    }
}

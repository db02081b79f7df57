package io.pgflo.domain;

import io.pgflo.sink.api.TableName;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** Counters an initial copy updates and a progress reporter reads from another thread. */
public final class CopyStats {
    private final Map<TableName, Table> tables = new ConcurrentHashMap<>();
    private final AtomicLong rows = new AtomicLong();
    private final AtomicLong bytes = new AtomicLong();
    private volatile List<TableName> order = List.of();
    private volatile Set<TableName> skipped = Set.of();

    /** One table's figures. */
    public static final class Table {
        private final long estimatedRows;
        private final AtomicLong rows = new AtomicLong();
        private final AtomicLong bytes = new AtomicLong();
        private volatile boolean finished;

        Table(long estimatedRows) {
            this.estimatedRows = estimatedRows;
        }

        public long estimatedRows() {
            return estimatedRows;
        }

        public long rows() {
            return rows.get();
        }

        public long bytes() {
            return bytes.get();
        }

        /** Whether all its rows were handed to the sink. */
        public boolean finished() {
            return finished;
        }
    }

    void plan(List<TableName> tables, Map<TableName, Long> estimates) {
        for (TableName table : tables) {
            this.tables.put(table, new Table(estimates.getOrDefault(table, 0L)));
        }
        this.order = List.copyOf(tables);
    }

    void skipped(Set<TableName> tables) {
        this.skipped = Set.copyOf(tables);
    }

    /** Tables an earlier run of the same copy finished, not copied again. */
    public Set<TableName> skipped() {
        return skipped;
    }

    void written(TableName table, long valueBytes) {
        Table figures = tables.get(table);
        figures.rows.incrementAndGet();
        figures.bytes.addAndGet(valueBytes);
        rows.incrementAndGet();
        bytes.addAndGet(valueBytes);
    }

    void finished(TableName table) {
        tables.get(table).finished = true;
    }

    /** The tables this copy reads, in the order it reads them. */
    public List<TableName> tables() {
        return order;
    }

    public Table table(TableName table) {
        return tables.get(table);
    }

    /** Rows handed to the sink so far, over all tables. */
    public long rows() {
        return rows.get();
    }

    /** Their value bytes. */
    public long bytes() {
        return bytes.get();
    }
}

package io.pgflo.wal;

import io.pgflo.domain.CopyChunk;
import io.pgflo.sink.api.TableName;
import java.util.ArrayList;
import java.util.List;

/** Splits a table into the parts that the initial copy reads on their own. */
final class CopyPlan {
    private CopyPlan() {}

    /**
     * Parts of {@code pagesPerPart} heap pages (at least 1) over a table of {@code pages} pages; the last is open, so it
     * also takes pages the table grew by after the plan (their rows are after the snapshot, and not seen). An empty
     * table is one open part from page 0.
     */
    static List<CopyChunk> byPages(TableName table, long pages, long pagesPerPart) {
        if (pages < 0) {
            throw new IllegalArgumentException(table + " has " + pages + " pages");
        }
        long size = Math.max(1, pagesPerPart);
        long count = Math.max(1, ceilDiv(pages, size));
        if (count > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(table + " in parts of " + size + " pages would be " + count
                    + " parts; choose larger parts");
        }
        List<CopyChunk> parts = new ArrayList<>((int) count);
        for (int i = 0; i < count; i++) {
            boolean last = i == count - 1;
            parts.add(new CopyChunk(table, i, (int) count, i * size, last ? CopyChunk.OPEN : (i + 1) * size));
        }
        return parts;
    }

    /**
     * One part per partition, part i spanning [i, i + 1) in units of partitions (the last open, as every last part
     * is); a table read whole is the one part [0, open).
     */
    static List<CopyChunk> byPartitions(TableName table, int partitions) {
        int count = Math.max(1, partitions);
        List<CopyChunk> parts = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            parts.add(new CopyChunk(table, i, count, i, i == count - 1 ? CopyChunk.OPEN : i + 1));
        }
        return parts;
    }

    private static long ceilDiv(long dividend, long divisor) {
        return (dividend + divisor - 1) / divisor;
    }
}

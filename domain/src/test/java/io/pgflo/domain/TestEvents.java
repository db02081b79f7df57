package io.pgflo.domain;

import java.time.Instant;
import java.util.List;

/** Builds small events for the domain's unit tests. */
final class TestEvents {
    private static final Column ID = new Column("id", new ColumnType(23, "integer", 23, 0), true);

    private TestEvents() {}

    static ChangeEvent insert(long lsn, long commitLsn, int ordinal) {
        Row row = new Row(List.of(ColumnValue.text(ID, Long.toString(lsn))));
        return new ChangeEvent(Operation.INSERT, "public", "t", Lsn.of(lsn), Lsn.of(commitLsn), 7, Instant.EPOCH,
                ordinal, List.of("id"), row, null, null);
    }

    static TransactionCommit commit(long commitLsn) {
        return new TransactionCommit(7, Lsn.of(commitLsn), Lsn.of(commitLsn + 8), Instant.EPOCH);
    }
}

package io.pgflo.domain;

import io.pgflo.sink.api.ChangeEvent;
import io.pgflo.sink.api.Column;
import io.pgflo.sink.api.ColumnType;
import io.pgflo.sink.api.ColumnValue;
import io.pgflo.sink.api.Lsn;
import io.pgflo.sink.api.Operation;
import io.pgflo.sink.api.Row;
import java.time.Instant;
import java.util.List;

/** Builds small events for the domain's unit tests. */
final class TestEvents {
    private static final Column ID = new Column("id", new ColumnType(23, "integer", 23, 0), true);

    private TestEvents() {}

    static SourceChange insert(long lsn, long commitLsn, int ordinal) {
        Row row = new Row(List.of(ColumnValue.text(ID, Long.toString(lsn))));
        return new SourceChange(Operation.INSERT, "public", "t", Lsn.of(lsn), Lsn.of(commitLsn), 7, Instant.EPOCH,
                ordinal, List.of("id"), row, null, null);
    }

    /** A change of a transaction streamed before its commit is known. */
    static SourceChange provisional(long lsn, int ordinal) {
        SourceChange event = insert(lsn, 1, ordinal);
        return new SourceChange(event.operation(), event.schema(), event.table(), event.lsn(), Lsn.MAX, event.xid(),
                event.commitTime(), ordinal, event.keyColumns(), event.newRow(), event.oldRow(), null);
    }

    /**
     * A shaper as rules make one: leaves out rows whose {@code id} is even and marks the others' {@code id} with a
     * trailing {@code !}; changes without a new row pass as they are.
     */
    static final ChangeShaper ODD_MARKED = change -> {
        if (change.newRow() == null) {
            return change;
        }
        String id = change.newRow().text("id");
        if (Long.parseLong(id) % 2 == 0) {
            return null;
        }
        Row marked = new Row(List.of(ColumnValue.text(change.newRow().values().get(0).column(), id + "!")));
        return new SourceChange(change.operation(), change.schema(), change.table(), change.lsn(), change.commitLsn(),
                change.xid(), change.commitTime(), change.ordinal(), change.keyColumns(), marked, change.oldRow(),
                change.ddl());
    };

    static TransactionCommit commit(long commitLsn) {
        return new TransactionCommit(7, Lsn.of(commitLsn), Lsn.of(commitLsn + 8), Instant.EPOCH);
    }
}

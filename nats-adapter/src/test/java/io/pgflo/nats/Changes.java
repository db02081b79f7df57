package io.pgflo.nats;

import io.pgflo.domain.SourceChange;
import io.pgflo.sink.api.Batch;
import io.pgflo.sink.api.Column;
import io.pgflo.sink.api.ColumnType;
import io.pgflo.sink.api.ColumnValue;
import io.pgflo.sink.api.Lsn;
import io.pgflo.sink.api.Operation;
import io.pgflo.sink.api.Position;
import io.pgflo.sink.api.Row;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Changes made by hand, as the PostgreSQL source would hand them over: one table t(id int, v text). */
final class Changes {
    static final Column ID = new Column("id", ColumnType.ofOid(23, "int4"), true);
    static final Column V = new Column("v", ColumnType.ofOid(25, "text"), false);

    private Changes() {}

    /** INSERT of row {@code id} as change {@code ordinal} of the transaction committing at {@code commit}. */
    static SourceChange insert(long commit, int ordinal, int id) {
        return new SourceChange(Operation.INSERT, "public", "t", Lsn.of(commit - 100 + ordinal), Lsn.of(commit), commit,
                Instant.parse("2026-11-24T12:00:00.123456Z"), ordinal, List.of("id"),
                new Row(List.of(ColumnValue.text(ID, Integer.toString(id)), ColumnValue.text(V, "v" + id))), null, null);
    }

    /** A batch of whole transactions at commits 1000, 2000, ... each of {@code perTransaction} inserts. */
    static Batch transactions(int first, int count, int perTransaction) {
        List<SourceChange> events = new ArrayList<>();
        long commit = 0;
        for (int tx = first; tx < first + count; tx++) {
            commit = 1000L * (tx + 1);
            for (int i = 0; i < perTransaction; i++) {
                events.add(insert(commit, i, tx * perTransaction + i));
            }
        }
        return Batch.of(events, Position.afterTransaction(Lsn.of(commit + 50)));
    }
}

package io.pgflo.sink.webhook;

import io.pgflo.domain.SourceChange;
import io.pgflo.sink.api.Batch;
import io.pgflo.sink.api.ChangeEvent;
import io.pgflo.sink.api.Column;
import io.pgflo.sink.api.ColumnType;
import io.pgflo.sink.api.ColumnValue;
import io.pgflo.sink.api.Lsn;
import io.pgflo.sink.api.Operation;
import io.pgflo.sink.api.Row;
import io.pgflo.sink.api.Sink;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Change events as the decoder hands them over, built by hand: table {@code public.users (id int, name text)}. */
final class TestEvents {
    static final ColumnType INT4 = ColumnType.ofOid(23, "integer");
    static final ColumnType TEXT = ColumnType.ofOid(25, "text");
    static final Instant COMMIT_TIME = Instant.parse("2026-11-24T12:00:00.123456Z");
    /** The first transaction's commit LSN; transaction {@code t} commits at {@code BASE + 0x100 * (t + 1)}. */
    static final long BASE = 0x16B0000L;

    private TestEvents() {}

    static Row row(int id, String name) {
        return new Row(List.of(ColumnValue.text(new Column("id", INT4, true), Integer.toString(id)),
                name == null ? ColumnValue.sqlNull(new Column("name", TEXT, false))
                        : ColumnValue.text(new Column("name", TEXT, false), name)));
    }

    static Row key(int id) {
        return new Row(List.of(ColumnValue.text(new Column("id", INT4, true), Integer.toString(id))));
    }

    static Lsn commitLsn(int transaction) {
        return Lsn.of(BASE + 0x100L * (transaction + 1));
    }

    static SourceChange event(Operation operation, String table, int transaction, int ordinal, Row newRow, Row oldRow) {
        Lsn commit = commitLsn(transaction);
        return new SourceChange(operation, "public", table, Lsn.of(commit.value() - 0x80 + ordinal), commit,
                1000 + transaction, COMMIT_TIME, ordinal, operation == Operation.TRUNCATE ? List.of() : List.of("id"),
                newRow, oldRow, null);
    }

    static ChangeEvent insert(int transaction, int ordinal, int id, String name) {
        return event(Operation.INSERT, "users", transaction, ordinal, row(id, name), null);
    }

    static ChangeEvent update(int transaction, int ordinal, int id, String name) {
        return event(Operation.UPDATE, "users", transaction, ordinal, row(id, name), null);
    }

    static ChangeEvent updateKey(int transaction, int ordinal, int oldId, int newId, String name) {
        return event(Operation.UPDATE, "users", transaction, ordinal, row(newId, name), key(oldId));
    }

    static ChangeEvent delete(int transaction, int ordinal, int id) {
        return event(Operation.DELETE, "users", transaction, ordinal, null, key(id));
    }

    static ChangeEvent truncate(int transaction, int ordinal) {
        return event(Operation.TRUNCATE, "users", transaction, ordinal, null, null);
    }

    /** {@code count} inserts, one transaction each, ids 0..count-1. */
    static List<ChangeEvent> inserts(int count) {
        List<ChangeEvent> events = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            events.add(insert(i, 0, i, "user " + i));
        }
        return events;
    }

    /** The events as one batch whose checkpoint is the last event's commit. */
    static Batch batch(List<ChangeEvent> events) {
        return Batch.of(events, events.get(events.size() - 1).commitLsn());
    }

    /** Writes the batch and waits until it is delivered and checkpointed, as the pipeline does at a stop. */
    static void write(io.pgflo.sink.api.Sink sink, Batch batch) {
        sink.writeBatch(batch);
        sink.flush();
    }
}

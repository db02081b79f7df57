package io.pgflo.wal;

import io.pgflo.domain.ChangeEvent;
import io.pgflo.domain.Column;
import io.pgflo.domain.ColumnType;
import io.pgflo.domain.ColumnValue;
import io.pgflo.domain.Lsn;
import io.pgflo.domain.Operation;
import io.pgflo.domain.Row;
import io.pgflo.domain.SourceMessage;
import io.pgflo.domain.TransactionCommit;
import io.pgflo.wal.PgOutputMessage.Begin;
import io.pgflo.wal.PgOutputMessage.Commit;
import io.pgflo.wal.PgOutputMessage.Delete;
import io.pgflo.wal.PgOutputMessage.Insert;
import io.pgflo.wal.PgOutputMessage.LogicalMessage;
import io.pgflo.wal.PgOutputMessage.Relation;
import io.pgflo.wal.PgOutputMessage.RelationColumn;
import io.pgflo.wal.PgOutputMessage.Truncate;
import io.pgflo.wal.PgOutputMessage.Update;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.IntFunction;

/**
 * Turns pgoutput messages into change events and commits: keeps the relation cache, numbers the changes within
 * each transaction, and drops transactions that a checkpoint already covers.
 */
final class ChangeEventAssembler {
    /** Prefix of the logical messages the DDL capture trigger emits; their content is the DDL statement. */
    static final String DDL_PREFIX = "pg_flo_ddl";

    private final IntFunction<ColumnType> types;
    private final Map<Integer, RelationInfo> relations = new HashMap<>();
    private Lsn resumeAfter = Lsn.ZERO;
    private boolean deliverDdl;
    private Begin transaction;
    private boolean skipping;
    private int ordinal;

    ChangeEventAssembler(IntFunction<ColumnType> types) {
        this.types = types;
    }

    /**
     * Whether this stream delivers DDL events; off by default. The capture trigger serves every group on the database,
     * so a stream whose sink did not ask for DDL must not receive the statements installed for another group's sink.
     * (The sink that asked sorts out which tables are its own: names change under renames and vanish under drops.)
     */
    void deliverDdl(boolean deliver) {
        this.deliverDdl = deliver;
    }

    void resumeAfter(Lsn checkpoint) {
        this.resumeAfter = checkpoint;
    }

    /**
     * @param lsn the WAL position of the message (the start of its XLogData)
     */
    void accept(PgOutputMessage message, Lsn lsn, Consumer<SourceMessage> out) {
        if (message instanceof Begin begin) {
            transaction = begin;
            ordinal = 0;
            // A commit record that starts before the checkpoint ends at or before it: delivered already.
            skipping = begin.finalLsn().isBefore(resumeAfter);
        } else if (message instanceof Commit commit) {
            if (!skipping) {
                out.accept(new TransactionCommit(currentXid(), commit.commitLsn(), commit.endLsn(), commit.commitTime()));
            }
            transaction = null;
            skipping = false;
        } else if (message instanceof Relation relation) {
            relations.put(relation.oid(), describe(relation));
        } else if (skipping) {
            return;
        } else if (message instanceof Insert insert) {
            RelationInfo table = relation(insert.relationOid(), lsn);
            out.accept(event(Operation.INSERT, table, lsn, row(table, insert.newTuple(), false), null, null));
        } else if (message instanceof Update update) {
            RelationInfo table = relation(update.relationOid(), lsn);
            Row oldRow = update.oldTuple() == null ? null : row(table, update.oldTuple(), update.oldKind() == 'K');
            out.accept(event(Operation.UPDATE, table, lsn, row(table, update.newTuple(), false), oldRow, null));
        } else if (message instanceof Delete delete) {
            RelationInfo table = relation(delete.relationOid(), lsn);
            out.accept(event(Operation.DELETE, table, lsn, null, row(table, delete.oldTuple(), delete.oldKind() == 'K'), null));
        } else if (message instanceof Truncate truncate) {
            for (int oid : truncate.relationOids()) {
                out.accept(event(Operation.TRUNCATE, relation(oid, lsn), lsn, null, null, null));
            }
        } else if (message instanceof LogicalMessage logical && logical.transactional() && transaction != null
                && DDL_PREFIX.equals(logical.prefix()) && deliverDdl) {
            out.accept(ddl(logical, lsn));
        }
        // Origin and Type messages, and logical messages of other prefixes, carry nothing a sink needs.
    }

    private ChangeEvent ddl(LogicalMessage message, Lsn lsn) {
        // Content: "schema\ntable\nstatement", written by the DDL capture trigger.
        String content = new String(message.content(), StandardCharsets.UTF_8);
        String[] parts = content.split("\n", 3);
        if (parts.length < 3) {
            throw new PgOutputException("malformed DDL message at " + lsn + ": expected schema, table and statement");
        }
        RelationInfo table = new RelationInfo(parts[0], parts[1], 'd', List.of(), List.of());
        return event(Operation.DDL, table, lsn, null, null, parts[2]);
    }

    private ChangeEvent event(Operation operation, RelationInfo table, Lsn lsn, Row newRow, Row oldRow, String ddl) {
        if (transaction == null) {
            throw new PgOutputException(operation + " on " + table.schema() + "." + table.table() + " at " + lsn
                    + " outside a transaction");
        }
        Instant commitTime = transaction.commitTime();
        return new ChangeEvent(operation, table.schema(), table.table(), lsn, transaction.finalLsn(), transaction.xid(),
                commitTime, ordinal++, table.keyColumns(), newRow, oldRow, ddl);
    }

    private long currentXid() {
        return transaction == null ? 0 : transaction.xid();
    }

    private RelationInfo relation(int oid, Lsn lsn) {
        RelationInfo info = relations.get(oid);
        if (info == null) {
            throw new PgOutputException("change at " + lsn + " refers to relation " + Integer.toUnsignedString(oid)
                    + " before any Relation message described it");
        }
        return info;
    }

    private RelationInfo describe(Relation relation) {
        List<Column> columns = new ArrayList<>(relation.columns().size());
        List<String> keys = new ArrayList<>();
        for (RelationColumn column : relation.columns()) {
            columns.add(new Column(column.name(), types.apply(column.typeOid()), column.partOfKey()));
            if (column.partOfKey()) {
                keys.add(column.name());
            }
        }
        return new RelationInfo(relation.namespace(), relation.name(), relation.replicaIdentity(), List.copyOf(columns),
                List.copyOf(keys));
    }

    private static Row row(RelationInfo table, TupleData tuple, boolean keyOnly) {
        List<Column> columns = table.columns();
        int count = Math.min(columns.size(), tuple.size());
        ColumnValue[] values = new ColumnValue[count];
        int size = 0;
        for (int i = 0; i < count; i++) {
            Column column = columns.get(i);
            if (keyOnly && !column.partOfKey()) {
                continue;
            }
            values[size++] = switch (tuple.kind(i)) {
                case TupleData.TEXT -> ColumnValue.text(column, tuple.text(i));
                case TupleData.UNCHANGED_TOAST -> table.unchangedToasts().get(i);
                default -> table.nulls().get(i);
            };
        }
        return new Row(size == count ? List.of(values) : List.of(Arrays.copyOf(values, size)));
    }
}

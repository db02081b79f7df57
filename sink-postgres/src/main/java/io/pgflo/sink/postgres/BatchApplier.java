package io.pgflo.sink.postgres;

import io.pgflo.sink.api.ChangeEvent;
import io.pgflo.sink.api.Operation;
import io.pgflo.sink.api.TableName;
import io.pgflo.sink.postgres.RowChange.Kind;
import io.pgflo.sink.postgres.RowChange.Shape;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies change events, in order, inside the connection's current transaction.
 *
 * <p>Set-based: consecutive row changes of the same shape (same table, kind and columns) become one statement over
 * {@code unnest}ed arrays. A group never holds the same key twice for an upsert or an update (INSERT ... ON CONFLICT
 * cannot touch a row twice, and an UPDATE ... FROM would pick one of the two at random): a repeated key starts a new
 * statement, so the result is the same as applying the changes one by one in commit order. Row-by-row mode (groups of
 * one) is that reference; the sink falls back to it to find the change a multi-row statement failed on.
 *
 * <p>Runs of fresh rows go into an {@link OpenCopy}, which may stay open after {@link #apply} returns, while the
 * transaction stays open: {@link #finishCopy} ends it, and so does any other use of the connection by the applier.
 */
final class BatchApplier {
    private static final Logger log = LoggerFactory.getLogger(BatchApplier.class);
    static final int MAX_ROWS_PER_STATEMENT = 10_000;
    /** Below this many rows the savepoint round trips of {@link #copy} cost more than they save. */
    static final int PLAIN_INSERT_MIN_ROWS = 50;

    private final TargetKeys targetKeys;
    private final TargetTables targetTables;
    private final ChangePlanner planner;
    private final DdlReplayer ddl;
    private final NetChanges net = new NetChanges();
    /** Tables whose fresh rows go through INSERT ... ON CONFLICT, not COPY (see {@link #copy}). */
    private final Set<TableName> noCopy = new HashSet<>();
    private final Map<Shape, String> sql = new HashMap<>();
    /** The connection of the last {@link #apply}, and the same as the rest of the applier uses it (see {@link #guard}). */
    private Connection raw;
    private Connection guarded;
    private OpenCopy openCopy;

    BatchApplier(TargetKeys targetKeys, TargetTables targetTables, DdlReplayer ddl) {
        this.targetKeys = targetKeys;
        this.targetTables = targetTables;
        this.planner = new ChangePlanner(targetKeys);
        this.ddl = ddl;
    }

    /**
     * Applies {@code events}. Changes to tables whose changes
     * commute are merged per key ({@link NetChanges}) unless {@code rowByRow}; the others, and all of them in
     * row-by-row mode, are applied in order. Returns the statements run.
     */
    int apply(Connection target, List<ChangeEvent> events, boolean rowByRow) throws ApplyException {
        Connection connection = guard(target);
        try {
            int statements = applyAll(connection, events, rowByRow);
            if (openCopy != null) {
                pushCopy();
            }
            return statements;
        } catch (CopyFailed e) {
            throw e.failure;
        }
    }

    private int applyAll(Connection connection, List<ChangeEvent> events, boolean rowByRow) throws ApplyException {
        Group group = null;
        int statements = 0;
        for (int i = 0; i < events.size(); i++) {
            ChangeEvent event = events.get(i);
            Operation operation = event.operation();
            if (operation == Operation.INSERT || operation == Operation.UPDATE || operation == Operation.DELETE
                    || operation == Operation.READ) {
                ddl.noteTable(event);
                for (RowChange change : plan(connection, event)) {
                    if (!rowByRow && net.accepts(change) && commutes(connection, change)) {
                        statements += flush(connection, group);
                        group = null;
                        net.add(change);
                        continue;
                    }
                    statements += flushNet(connection);
                    if (group != null && group.accepts(change, rowByRow)) {
                        group.add(change);
                        continue;
                    }
                    statements += flush(connection, group);
                    group = null;
                    if (change.kind().groupable) {
                        group = new Group(change, false);
                    } else {
                        executeSingle(connection, change);
                        statements++;
                    }
                }
            } else if (operation == Operation.TRUNCATE) {
                statements += flushNet(connection);
                statements += flush(connection, group);
                group = null;
                // One source statement, so one target statement, change by change too: tables that reference each
                // other can only be truncated together.
                int last = i;
                while (last + 1 < events.size() && events.get(last + 1).operation() == Operation.TRUNCATE
                        && events.get(last + 1).lsn().equals(event.lsn())) {
                    last++;
                }
                truncate(connection, events.subList(i, last + 1));
                statements++;
                i = last;
            } else if (operation == Operation.DDL) {
                statements += flushNet(connection);
                statements += flush(connection, group);
                group = null;
                if (ddl.accepts(event)) {
                    try {
                        ddl.apply(connection, event);
                    } catch (SQLException e) {
                        throw new ApplyException("schema change at " + event.lsn() + " on " + event.qualifiedTable()
                                + " failed: " + SqlStates.describe(e), e, false);
                    }
                    targetKeys.forget();
                    targetTables.forget();
                    statements++;
                }
            }
        }
        statements += flushNet(connection);
        statements += flush(connection, group);
        return statements;
    }

    /**
     * Ends the open COPY, if any, before the transaction commits or the connection runs anything else. When the target
     * refuses the COPY, it is undone and its rows go in with INSERT ... ON CONFLICT.
     */
    void finishCopy() throws ApplyException {
        OpenCopy copy = openCopy;
        if (copy == null) {
            return;
        }
        openCopy = null;
        try {
            copy.end(raw);
        } catch (SQLException e) {
            retryRefused(copy, e);
        }
    }

    /**
     * Forgets what was learnt in a transaction that is being rolled back, and anything not yet applied; abandons the
     * open COPY, so that the connection can roll back.
     */
    void reset() {
        if (openCopy != null) {
            openCopy.abandon();
            openCopy = null;
        }
        targetKeys.forget();
        targetTables.forget();
        net.drain();
    }

    private boolean commutes(Connection connection, RowChange change) throws ApplyException {
        try {
            return targetTables.changesCommute(connection, change.table());
        } catch (SQLException e) {
            throw new ApplyException(change.event().operation() + " on " + change.table() + " at " + change.event().lsn()
                    + ": cannot read the target table's constraints and triggers: " + SqlStates.describe(e), e, false);
        }
    }

    /** Applies the merged changes: per table and shape, one statement per {@value #MAX_ROWS_PER_STATEMENT} rows. */
    private int flushNet(Connection connection) throws ApplyException {
        if (net.isEmpty()) {
            return 0;
        }
        int merged = net.merged();
        int statements = 0;
        for (List<RowChange> run : net.drain()) {
            for (int from = 0; from < run.size(); from += MAX_ROWS_PER_STATEMENT) {
                Group group = new Group(run.get(from), true);
                for (RowChange change : run.subList(from + 1, Math.min(run.size(), from + MAX_ROWS_PER_STATEMENT))) {
                    group.add(change);
                }
                statements += flush(connection, group);
            }
        }
        log.trace("{} row changes merged into {} statements", merged, statements);
        return statements;
    }

    private List<RowChange> plan(Connection connection, ChangeEvent event) throws ApplyException {
        try {
            return planner.plan(connection, event);
        } catch (SQLException e) {
            throw new ApplyException(event.operation() + " on " + event.qualifiedTable() + " at " + event.lsn()
                    + ": cannot read the target table's key: " + SqlStates.describe(e), e, false);
        } catch (IllegalStateException | IllegalArgumentException e) {
            throw new ApplyException(e.getMessage(), null, false);
        }
    }

    private int flush(Connection connection, Group group) throws ApplyException {
        if (group == null) {
            return 0;
        }
        Shape shape = group.shape;
        int rows = group.changes.size();
        if (shape.kind() == Kind.UPSERT && rows >= PLAIN_INSERT_MIN_ROWS && group.allFresh()
                && !noCopy.contains(shape.table()) && copy(connection, group)) {
            return 1;
        }
        String text = sql.computeIfAbsent(shape, BatchApplier::sqlFor);
        if (sql.size() > 5_000) {
            sql.clear();
        }
        try (PreparedStatement statement = connection.prepareStatement(text)) {
            int parameter = 1;
            if (shape.kind() != Kind.DELETE) {
                parameter = bindColumns(connection, statement, group);
            }
            if (shape.kind() == Kind.UPDATE || shape.kind() == Kind.DELETE) {
                for (int column = 0; column < shape.key().size(); column++) {
                    String[] values = new String[rows];
                    for (int row = 0; row < rows; row++) {
                        values[row] = group.changes.get(row).keyValues().get(column);
                    }
                    statement.setArray(parameter++, textArray(connection, values));
                }
            }
            int count = statement.executeUpdate();
            if (shape.kind() == Kind.UPDATE && count != rows) {
                throw new ApplyException(describe(group) + ": " + (rows - count) + " of " + rows + " rows are not in the "
                        + "target, so their unchanged TOAST values (columns not sent by the source) cannot be kept; "
                        + "the target has diverged from the source", null, rows > 1);
            }
            return 1;
        } catch (SQLException e) {
            throw new ApplyException(describe(group) + " failed: " + SqlStates.describe(e), e, rows > 1);
        }
    }

    /**
     * A COPY of rows the source had just inserted, which costs the target a fraction of INSERT ... ON CONFLICT. Only
     * where the target's columns have the source's types: COPY reads each value with the target column's input
     * function, where the INSERT casts it to the source's type first (a timestamptz value into a timestamp column, say,
     * would otherwise land at another hour). The rows join the open COPY when it has their shape. If the COPY fails for
     * any reason (a row is there already because the target held rows before the stream started, or the target
     * refuses COPY), it is undone, its rows go through ON CONFLICT, which reports a real error with its row, and the
     * table is not copied into again. Returns false when the group should go through ON CONFLICT instead.
     */
    private boolean copy(Connection connection, Group group) throws ApplyException {
        // A full COPY ends here, not when it filled: by now the sink has planned this batch while the target still
        // had the COPY's last rows to read, so the target only waits for the next COPY's start.
        if (openCopy != null && (openCopy.full() || !openCopy.shape().equals(group.shape))) {
            finishCopy();
        }
        TableName table = group.shape.table();
        if (openCopy == null) {
            try {
                if (!targetTables.hasColumnTypes(connection, table, group.shape.columns(), group.shape.types())) {
                    noCopy.add(table);
                    log.info("{} on the target has other column types than on the source; its new rows go in with "
                            + "INSERT, which casts each value from the source's type", table);
                    return false;
                }
                openCopy = new OpenCopy(group.shape, raw.setSavepoint());
            } catch (SQLException e) {
                throw new ApplyException(describe(group.changes) + ": cannot prepare a COPY: " + SqlStates.describe(e),
                        e, false);
            }
        }
        OpenCopy copy = openCopy;
        try {
            copy.append(raw, group.changes);
        } catch (SQLException e) {
            openCopy = null;
            retryRefused(copy, e);
        }
        return true;
    }

    private void pushCopy() throws ApplyException {
        OpenCopy copy = openCopy;
        try {
            copy.push();
        } catch (SQLException e) {
            openCopy = null;
            retryRefused(copy, e);
        }
    }

    /**
     * Rolls a failed COPY back to its savepoint, applies its rows through ON CONFLICT instead, and sends the table's
     * fresh rows that way from now on.
     */
    private void retryRefused(OpenCopy copy, SQLException e) throws ApplyException {
        try {
            copy.undo(raw);
        } catch (SQLException rollback) {
            // The connection is gone or broken: report the COPY's own error (a transient one is retried).
            throw new ApplyException(describe(copy.rows()) + " failed: " + SqlStates.describe(e), e, false);
        }
        TableName table = copy.shape().table();
        noCopy.add(table);
        if (SqlStates.UNIQUE_VIOLATION.equals(e.getSQLState())) {
            log.info("{} already holds some rows the source inserted ({}); using INSERT ... ON CONFLICT for it from now on",
                    table, SqlStates.firstLine(e.getMessage()));
        } else {
            log.info("COPY into {} failed ({}); using INSERT ... ON CONFLICT for it from now on", table,
                    SqlStates.firstLine(e.getMessage()));
        }
        // In their order: a repeated key starts a new statement.
        Group group = null;
        for (RowChange row : copy.rows()) {
            if (group != null && group.accepts(row, false)) {
                group.add(row);
            } else {
                flush(guarded, group);
                group = new Group(row, false);
            }
        }
        flush(guarded, group);
    }

    /**
     * The connection, as everything in the applier but the COPY itself uses it: any call ends the open COPY first.
     * pgjdbc cannot run a statement while a COPY is in progress (it would wait for the COPY's lock for ever), and a
     * lookup of a table's key or columns may need the connection at any point of the planning.
     */
    private Connection guard(Connection target) {
        if (target != raw) {
            if (openCopy != null) {
                openCopy.abandon(); // a new connection: the old one's transaction is gone, and its COPY with it
                openCopy = null;
            }
            raw = target;
            guarded = (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(),
                    new Class<?>[] {Connection.class}, (proxy, method, args) -> {
                        if (method.getDeclaringClass() != Object.class && openCopy != null) {
                            try {
                                finishCopy();
                            } catch (ApplyException e) {
                                throw new CopyFailed(e);
                            }
                        }
                        try {
                            return method.invoke(target, args);
                        } catch (InvocationTargetException e) {
                            throw e.getCause();
                        }
                    });
        }
        return guarded;
    }

    /** Carries the failure of a COPY that a call on the guarded connection ended, out to {@link #apply}. */
    private static final class CopyFailed extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final transient ApplyException failure;

        CopyFailed(ApplyException failure) {
            super(failure.getMessage(), failure, false, false);
            this.failure = failure;
        }
    }

    /** One text[] parameter per column, from the first parameter on; returns the next parameter's index. */
    private static int bindColumns(Connection connection, PreparedStatement statement, Group group) throws SQLException {
        int rows = group.changes.size();
        int parameter = 1;
        for (int column = 0; column < group.shape.columns().size(); column++) {
            String[] values = new String[rows];
            for (int row = 0; row < rows; row++) {
                values[row] = group.changes.get(row).values().get(column);
            }
            statement.setArray(parameter++, textArray(connection, values));
        }
        return parameter;
    }

    private void executeSingle(Connection connection, RowChange change) throws ApplyException {
        Shape shape = change.shape();
        String text = switch (shape.kind()) {
            case MOVE -> StatementSql.move(shape);
            case MATCHED_UPDATE -> StatementSql.matchedUpdate(shape, change.keyValues());
            case MATCHED_DELETE -> StatementSql.matchedDelete(shape, change.keyValues());
            default -> throw new IllegalStateException("not a single-row change: " + shape.kind());
        };
        try (PreparedStatement statement = connection.prepareStatement(text)) {
            // The old values (the key, or the match) come first in each statement's text, then the new ones.
            int parameter = 1;
            for (String value : change.keyValues()) {
                if (value != null || shape.kind() == Kind.MOVE) {
                    statement.setString(parameter++, value);
                }
            }
            for (String value : change.values()) {
                statement.setString(parameter++, value);
            }
            int count = statement.executeUpdate();
            if (count == 0 && shape.kind() == Kind.MATCHED_DELETE) {
                log.warn("{}: no row in the target has these values; nothing to delete", describe(change));
            } else if (count == 0) {
                throw new ApplyException(describe(change) + ": the row is not in the target"
                        + (shape.kind() == Kind.MOVE ? ", so its unchanged TOAST columns " + shape.carried()
                                + " cannot be carried to the new key" : "")
                        + "; the target has diverged from the source", null, false);
            }
        } catch (SQLException e) {
            throw new ApplyException(describe(change) + " failed: " + SqlStates.describe(e), e, false);
        }
    }

    private static void truncate(Connection connection, List<ChangeEvent> events) throws ApplyException {
        Set<TableName> tables = new LinkedHashSet<>();
        for (ChangeEvent event : events) {
            tables.add(new TableName(event.schema(), event.table()));
        }
        StringJoiner list = new StringJoiner(", ", "TRUNCATE ", "");
        tables.forEach(table -> list.add(table.quoted()));
        try (Statement statement = connection.createStatement()) {
            statement.execute(list.toString());
        } catch (SQLException e) {
            throw new ApplyException(list + " at " + events.get(0).lsn() + " failed: " + SqlStates.describe(e), e, false);
        }
    }

    private static String sqlFor(Shape shape) {
        return switch (shape.kind()) {
            case UPSERT -> StatementSql.upsert(shape);
            case INSERT -> StatementSql.insert(shape);
            case UPDATE -> StatementSql.update(shape);
            case DELETE -> StatementSql.delete(shape);
            default -> throw new IllegalStateException("not a multi-row kind: " + shape.kind());
        };
    }

    private static Array textArray(Connection connection, String[] values) throws SQLException {
        return connection.createArrayOf("text", values);
    }

    private static String describe(Group group) {
        return describe(group.changes);
    }

    private static String describe(List<RowChange> changes) {
        RowChange first = changes.get(0);
        int rows = changes.size();
        if (rows == 1) {
            return describe(first);
        }
        RowChange last = changes.get(rows - 1);
        return verb(first.kind()) + " of " + rows + " rows in " + first.table() + " (" + first.describeKey()
                + " ... " + last.describeKey() + ", LSN " + first.event().lsn() + " to " + last.event().lsn() + ")";
    }

    private static String describe(RowChange change) {
        String what = change.shape().key().isEmpty() ? " of row " : " of key ";
        return verb(change.kind()) + " in " + change.table() + what + change.describeKey() + " ("
                + change.event().operation() + " at LSN " + change.event().lsn() + ", transaction " + change.event().xid()
                + ")";
    }

    private static String verb(Kind kind) {
        return switch (kind) {
            case UPSERT -> "upsert";
            case UPDATE -> "update";
            case DELETE -> "delete";
            case INSERT -> "insert";
            case MOVE -> "key change";
            case MATCHED_UPDATE -> "update (matched on all old values)";
            case MATCHED_DELETE -> "delete (matched on all old values)";
        };
    }

    /** Consecutive row changes of one shape, at most {@value #MAX_ROWS_PER_STATEMENT}, with no key twice. */
    private static final class Group {
        final Shape shape;
        final List<RowChange> changes = new ArrayList<>();
        final Set<List<String>> keys;

        /** @param keysDistinct whether the changes to come are known to have distinct keys (merged ones are) */
        Group(RowChange first, boolean keysDistinct) {
            this.shape = first.shape();
            boolean checkKeys = !keysDistinct && (shape.kind() == Kind.UPSERT || shape.kind() == Kind.UPDATE);
            this.keys = checkKeys ? new HashSet<>() : null;
            add(first);
        }

        boolean accepts(RowChange change, boolean rowByRow) {
            return !rowByRow
                    && (change.shape() == shape || change.shape().equals(shape))
                    && changes.size() < MAX_ROWS_PER_STATEMENT
                    && (keys == null || !keys.contains(change.keyValues()));
        }

        boolean allFresh() {
            for (RowChange change : changes) {
                if (!change.fresh()) {
                    return false;
                }
            }
            return true;
        }

        void add(RowChange change) {
            changes.add(change);
            if (keys != null) {
                keys.add(change.keyValues());
            }
        }
    }
}

package io.pgflo.sink.postgres;

import io.pgflo.sink.api.BulkLoader;
import io.pgflo.sink.api.ChangeEvent;
import io.pgflo.sink.api.Column;
import io.pgflo.sink.api.ColumnValue;
import io.pgflo.sink.api.TableName;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * One part of a bulk load: a target transaction of its own on a connection of the loader's, one COPY of the part's
 * rows, and the part's record in {@code internal_pg_flo.copy_parts}, committed together. Used by one thread.
 */
final class CopyPartLoad implements BulkLoader.PartLoad {
    private final LoaderConnections connections;
    private final PostgresBulkLoader.PreparedTable table;
    private final CopyPartsTable parts;
    private final String copyId;
    private final String partId;
    private final String target;
    private Connection connection;
    private LoadFormat format;
    private CopyIn copy;
    private CopyBuffer buffer;
    private long rows;
    private boolean committed;
    private boolean healthy = true;

    CopyPartLoad(LoaderConnections connections, PostgresBulkLoader.PreparedTable table, CopyPartsTable parts,
            String copyId, String partId, String target) {
        this.connections = connections;
        this.table = table;
        this.parts = parts;
        this.copyId = copyId;
        this.partId = partId;
        this.target = target;
        try {
            this.connection = connections.borrow();
        } catch (SQLException e) {
            throw failure("cannot connect", e);
        }
    }

    @Override
    public void write(ChangeEvent row) {
        List<ColumnValue> values = row.newRow().values();
        try {
            if (format == null) {
                start(values);
            } else if (values.size() != format.columns().size()) {
                throw new IllegalStateException("a row of " + values.size() + " columns after rows of "
                        + format.columns().size());
            }
            if (format.binary()) {
                BinaryCopyRows.row(buffer, values);
            } else {
                TextCopyRows.row(buffer, values);
            }
            rows++;
        } catch (SQLException e) {
            throw failure("cannot load", e);
        } catch (RuntimeException e) {
            throw new PostgresSinkException(describe() + ": " + e.getMessage(), e);
        }
    }

    private void start(List<ColumnValue> values) throws SQLException {
        List<Column> columns = new ArrayList<>(values.size());
        for (ColumnValue value : values) {
            columns.add(value.column());
        }
        format = table.format(columns);
        if (format.stageSql() != null) {
            try (Statement statement = connection.createStatement()) {
                statement.execute(format.stageSql());
            }
        }
        copy = connection.unwrap(PGConnection.class).getCopyAPI().copyIn(format.copySql());
        CopyIn in = copy;
        buffer = new CopyBuffer(in::writeToCopy);
        if (format.binary()) {
            BinaryCopyRows.header(buffer);
        }
    }

    @Override
    public void commit() {
        try {
            if (format != null) {
                if (format.binary()) {
                    BinaryCopyRows.trailer(buffer);
                }
                buffer.flush();
                copy.endCopy();
                if (format.insertSql() != null) {
                    try (Statement statement = connection.createStatement()) {
                        statement.executeUpdate(format.insertSql());
                    }
                }
            }
            parts.record(connection, table.name(), copyId, partId, rows);
            connection.commit();
            committed = true;
        } catch (SQLException e) {
            throw failure("cannot commit", e);
        }
    }

    @Override
    public void close() {
        if (connection == null) {
            return;
        }
        if (!committed) {
            try {
                if (copy != null && copy.isActive()) {
                    copy.cancelCopy();
                }
                connection.rollback();
            } catch (SQLException e) {
                healthy = false;
            }
        }
        connections.giveBack(connection, healthy);
        connection = null;
    }

    private PostgresSinkException failure(String what, SQLException e) {
        healthy = false;
        return new PostgresSinkException(what + " " + describe() + ": " + SqlStates.describe(e), e);
    }

    private String describe() {
        return table.name() + " part " + partId + " of copy " + copyId + " into " + target;
    }
}

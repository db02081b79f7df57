package io.pgflo.sink.postgres;

import java.sql.SQLException;

/**
 * A statement against the target failed. Says which table and change(s), and whether it was a multi-row statement
 * (then applying the same changes one by one pinpoints the offending row).
 */
final class ApplyException extends Exception {
    private static final long serialVersionUID = 1L;

    private final boolean multiRow;

    ApplyException(String message, SQLException cause, boolean multiRow) {
        super(message, cause);
        this.multiRow = multiRow;
    }

    boolean multiRow() {
        return multiRow;
    }

    /** The driver's exception, or null when the failure was found by the sink (a row count that did not add up). */
    SQLException sqlException() {
        return getCause() instanceof SQLException sql ? sql : null;
    }

    boolean isTransient() {
        SQLException sql = sqlException();
        return sql != null && SqlStates.isTransient(sql);
    }
}

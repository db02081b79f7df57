package io.pgflo.sink.api;

/** What a change event did. */
public enum Operation {
    /** A row that existed before the stream: read by an initial copy or a backfill, not changed. */
    READ,
    INSERT,
    UPDATE,
    DELETE,
    TRUNCATE,
    /** A schema change captured on the source, replayed in WAL order with the data around it. */
    DDL,
    /**
     * The end of one table's copy: every row the copy read from the table is in the events before this one. Carries no
     * row; comes after the table's last {@link #READ}, or alone for an empty table.
     */
    COPY_DONE
}

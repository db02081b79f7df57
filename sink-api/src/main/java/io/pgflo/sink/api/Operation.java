package io.pgflo.sink.api;

/** What a change event did. */
public enum Operation {
    INSERT,
    UPDATE,
    DELETE,
    TRUNCATE,
    /** A schema change captured on the source, replayed in WAL order with the data around it. */
    DDL
}

package io.pgflo.sink.postgres;

/** What an initial copy does with a target table that holds rows no copy of the group loaded. */
public enum CopyExisting {
    /** Stop at the copy's start with one line naming the table and this choice. */
    REFUSE,
    /** Upsert the copied rows into what is there (the one-thread path, no bulk load). */
    UPSERT,
    /** Empty the table, then bulk-load it. */
    TRUNCATE
}

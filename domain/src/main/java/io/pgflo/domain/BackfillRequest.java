package io.pgflo.domain;

import static java.util.Objects.requireNonNull;

import io.pgflo.sink.api.TableName;
import java.util.List;

/**
 * One table to read again while the stream runs, as {@code pg_flo backfill} asked, and how far earlier runs got.
 *
 * @param id the request's number, unique on the source
 * @param table the table
 * @param predicate the rows to read (an SQL expression over the table's columns), or null for all
 * @param afterKey the key values (text) of the last row made durable by an earlier run, or null to start at the beginning
 * @param rowsDone how many rows earlier runs made durable
 */
public record BackfillRequest(long id, TableName table, String predicate, List<String> afterKey, long rowsDone) {
    public BackfillRequest {
        requireNonNull(table, "table is null");
        afterKey = afterKey == null ? null : List.copyOf(afterKey);
    }
}

package io.pgflo.domain;

import static java.util.Objects.requireNonNull;

import io.pgflo.sink.api.Lsn;
import java.time.Instant;

/**
 * A backfill's mark in the stream: a logical message pg_flo wrote on the source right after it read a chunk of a table,
 * delivered where its transaction commits. The chunk's rows go into the stream at this point, as changes of that
 * transaction, numbered from {@code nextOrdinal}.
 *
 * @param content what the message says; only a backfill that knows it (a random nonce and the chunk's number) acts on it
 */
public record Watermark(String content, long xid, Lsn commitLsn, Instant commitTime, int nextOrdinal)
        implements SourceMessage {
    /** The prefix of the logical messages that carry watermarks. */
    public static final String PREFIX = "pg_flo_backfill";

    public Watermark {
        requireNonNull(content, "content is null");
        requireNonNull(commitLsn, "commitLsn is null");
        requireNonNull(commitTime, "commitTime is null");
    }
}

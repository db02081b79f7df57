package io.pgflo.bench;

import io.pgflo.domain.DatabaseEndpoint;
import io.pgflo.testkit.TestPostgres;
import java.nio.file.Path;

/**
 * What a latency contender runs against: the source database holding {@link LatencyTable} (a fresh one per
 * contender), the target server for the PostgreSQL contenders, pg_flo itself, and the contender's own directory.
 */
record LatencyContext(TestPostgres source, String sourceDb, TestPostgres target, PgFloJar pgFlo, String heap,
        Path directory, long maxId) {
    DatabaseEndpoint sourceEndpoint() {
        return source.endpoint(sourceDb);
    }
}

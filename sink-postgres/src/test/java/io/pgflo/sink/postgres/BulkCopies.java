package io.pgflo.sink.postgres;

import io.pgflo.domain.BatchPolicy;
import io.pgflo.domain.CopyProgressStore;
import io.pgflo.domain.CopySettings;
import io.pgflo.domain.CopyState;
import io.pgflo.domain.InitialCopy;
import io.pgflo.sink.api.Lsn;
import io.pgflo.sink.api.TableName;
import io.pgflo.testkit.TestPostgres;
import io.pgflo.wal.PostgresSnapshotReader;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Runs an initial copy of source tables into a {@link PostgresSink}, as the command line does, for the tests. */
final class BulkCopies {
    static final Lsn CONSISTENT_POINT = Lsn.of(0x1000000);

    private BulkCopies() {}

    /** Copies {@code tables} of schema public, 3 workers, parts of about {@code chunkBytes}; true when complete. */
    static boolean copy(TestPostgres sourceServer, String sourceDb, PostgresSink sink, long chunkBytes,
            String... tables) throws InterruptedException {
        List<TableName> names = java.util.Arrays.stream(tables).map(t -> new TableName("public", t)).toList();
        try (PostgresSnapshotReader reader = PostgresSnapshotReader.open(sourceServer.endpoint(sourceDb), "bulk-test",
                Optional.empty(), 3)) {
            InitialCopy copy = new InitialCopy(reader, sink, new MemoryProgress(),
                    new CopySettings(3, chunkBytes, new BatchPolicy(1_000, Duration.ofMillis(20))));
            return copy.run(names, CONSISTENT_POINT);
        }
    }

    /** A sink for {@code group} into {@code targetDb}, from the source (for its settings and key check). */
    static PostgresSink sink(TestPostgres sourceServer, String sourceDb, TestPostgres targetServer, String targetDb,
            String group, CopyExisting existing, String... tables) {
        List<TableName> names = java.util.Arrays.stream(tables).map(t -> new TableName("public", t)).toList();
        return new PostgresSink(PostgresSinkConfig.of(targetServer.endpoint(targetDb), group)
                .withSource(sourceServer.endpoint(sourceDb), names)
                .withTrackDdl(false)
                .withCopyExisting(existing));
    }

    private static final class MemoryProgress implements CopyProgressStore {
        private CopyState state;

        @Override
        public Optional<CopyState> load() {
            return Optional.ofNullable(state);
        }

        @Override
        public void save(CopyState state) {
            this.state = state;
        }

        @Override
        public void complete() {
            state = null;
        }
    }
}

package io.pgflo.sink.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgflo.domain.BatchPolicy;
import io.pgflo.testkit.TestPostgres;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * Runs of new rows go in with COPY only where that gives what INSERT gives: the target's columns have the source's
 * types, and the target takes the COPY. Otherwise the rows go in with INSERT, which casts from the source's types.
 */
class CopyFallbackIT {
    private final TestPostgres sourceServer = TestPostgres.shared();
    private final TestPostgres targetServer = TargetServer.get();

    @Test
    void aTargetColumnOfAnotherTypeGetsWhatInsertWouldGiveIt() {
        String source = sourceServer.createDatabase("copy_types_src");
        String target = targetServer.createDatabase("copy_types_dst");
        sourceServer.execute(source, "CREATE TABLE measures (id int PRIMARY KEY, amount numeric, note text)");
        // Made by hand on the target, with an integer where the source has numeric: COPY would refuse '1.5'.
        targetServer.execute(target, "CREATE TABLE measures (id int PRIMARY KEY, amount integer, note text)");
        try (Replication replication = Replication.start(sourceServer, source, targetServer, target, "copy_types",
                List.of(), UnaryOperator.identity(), new BatchPolicy(1_000, Duration.ofMillis(20)))) {
            sourceServer.execute(source, "INSERT INTO measures SELECT g, g + 0.5, 'row ' || g FROM generate_series(1, 200) g");
            replication.awaitCaughtUp();
        }
        assertThat(Replication.rows(targetServer, target, "SELECT count(*), sum(amount) FROM measures"))
                .as("numeric 1.5 .. 200.5 cast to integer as INSERT casts it").containsExactly("200 | "
                        + sum(1, 200));
    }

    @Test
    void aCopyTheTargetRefusesIsUndoneAndTheRowsGoInWithInsert() {
        String source = sourceServer.createDatabase("copy_refused_src");
        String target = targetServer.createDatabase("copy_refused_dst");
        sourceServer.execute(source, "CREATE TABLE events (id int PRIMARY KEY, kind text)");
        targetServer.execute(target, "CREATE TABLE events (id int PRIMARY KEY, kind text)",
                // Rows already in the target (a copy made before the stream started): COPY hits a unique violation.
                "INSERT INTO events VALUES (7, 'old'), (150, 'old')");
        try (Replication replication = Replication.start(sourceServer, source, targetServer, target, "copy_refused",
                List.of(), UnaryOperator.identity(), new BatchPolicy(1_000, Duration.ofMillis(20)))) {
            sourceServer.execute(source, "INSERT INTO events SELECT g, 'new' FROM generate_series(1, 200) g");
            replication.awaitCaughtUp();
            sourceServer.execute(source, "INSERT INTO events SELECT g, 'newer' FROM generate_series(201, 300) g");
            replication.awaitCaughtUp();
        }
        assertThat(Replication.rows(targetServer, target, "SELECT kind, count(*) FROM events GROUP BY kind ORDER BY kind"))
                .containsExactly("new | 200", "newer | 100");
    }

    private static long sum(int from, int to) {
        long total = 0;
        for (int i = from; i <= to; i++) {
            total += Math.round(i + 0.5); // numeric to integer rounds half away from zero
        }
        return total;
    }
}

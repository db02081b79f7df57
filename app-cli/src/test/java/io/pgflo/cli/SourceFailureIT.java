package io.pgflo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.pgflo.testkit.PostgresExtension;
import io.pgflo.testkit.TestPostgres;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The source goes away mid-stream; pg_flo reconnects with back-off and loses nothing. */
@ExtendWith(PostgresExtension.class)
class SourceFailureIT {

    @Test
    void aCutReplicationConnectionIsReopenedWithoutLoss(TestPostgres pg, @TempDir Path status) {
        String db = pg.createDatabase("cut");
        pg.execute(db, "CREATE TABLE t (id int PRIMARY KEY)");
        try (StdoutStream stream = StdoutStream.start(pg, db, "cut", status, "t")) {
            StreamStdoutIT.insertRange(pg, db, 1, 100);
            stream.awaitCaughtUp();
            pg.execute(db, "SELECT pg_terminate_backend(active_pid) FROM pg_replication_slots WHERE slot_name = 'pg_flo_cut_slot'");
            StreamStdoutIT.insertRange(pg, db, 101, 200);
            stream.awaitCaughtUp();
            assertThat(stream.stop()).as(stream.stderr()).isZero();
            assertThat(stream.stderr()).contains("reconnecting");
            assertEveryIdAtLeastOnce(stream.events(), 200);
        }
    }

    @Test
    void aRestartedSourceServerIsReconnectedWithoutLoss(@TempDir Path status) {
        try (TestPostgres pg = TestPostgres.start()) {
            String db = pg.createDatabase("restart");
            pg.execute(db, "CREATE TABLE t (id int PRIMARY KEY)");
            try (StdoutStream stream = StdoutStream.start(pg, db, "restart", status, "t")) {
                StreamStdoutIT.insertRange(pg, db, 1, 100);
                stream.awaitCaughtUp();
                pg.restart();
                StreamStdoutIT.insertRange(pg, db, 101, 200);
                stream.awaitCaughtUp();
                assertThat(stream.stop()).as(stream.stderr()).isZero();
                assertEveryIdAtLeastOnce(stream.events(), 200);
            }
        }
    }

    private static void assertEveryIdAtLeastOnce(List<JsonNode> events, int last) {
        List<Integer> ids = events.stream().map(e -> e.get("data").get("id").asInt()).distinct().sorted().toList();
        assertThat(ids).hasSize(last).startsWith(1).endsWith(last);
    }
}

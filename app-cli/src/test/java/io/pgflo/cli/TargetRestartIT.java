package io.pgflo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgflo.testkit.PostgresExtension;
import io.pgflo.testkit.TestPostgres;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The PostgreSQL sink's target restarts mid-stream: the sink reconnects and the target still matches the source. */
@ExtendWith(PostgresExtension.class)
class TargetRestartIT {

    @Test
    void aRestartedTargetIsReconnectedAndEndsIdenticalToTheSource(TestPostgres source, @TempDir Path dir) {
        String db = source.createDatabase("target_restart");
        source.execute(db, "CREATE TABLE t (id int PRIMARY KEY, v text)");
        try (TestPostgres target = TestPostgres.start()) {
            String targetDb = target.createDatabase("replica");
            target.execute(targetDb, "CREATE TABLE t (id int PRIMARY KEY, v text)");
            try (PgFloProcess stream = PgFloProcess.start(source, db, "target_restart", null, "postgres", "--tables", "t",
                    "--status-dir", dir.toString(), "--target-host", target.host(), "--target-port", Integer.toString(target.port()),
                    "--target-dbname", targetDb, "--target-user", TestPostgres.SUPERUSER, "--track-ddl", "false")) {
                source.execute(db, "INSERT INTO t SELECT g, 'a' FROM generate_series(1, 100) g");
                stream.awaitCaughtUp();
                target.restart();
                source.execute(db, "INSERT INTO t SELECT g, 'b' FROM generate_series(101, 200) g", "UPDATE t SET v = 'c' WHERE id <= 10");
                stream.awaitCaughtUp();
                assertThat(stream.stop()).as(stream.stderr()).isZero();
            }
            String checksum = "SELECT count(*) || ':' || md5(string_agg(id || v, ',' ORDER BY id)) FROM t";
            assertThat(target.queryString(targetDb, checksum)).isEqualTo(source.queryString(db, checksum));
        }
    }
}

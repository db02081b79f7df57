package io.pgflo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgflo.testkit.PostgresExtension;
import io.pgflo.testkit.TestPostgres;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Bad input against a real server: one line on stderr, status 2, nothing written, nothing acknowledged. */
@ExtendWith(PostgresExtension.class)
class BadInputIT {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @TempDir
    Path status;

    private Path statusDir;

    private int stream(TestPostgres pg, String db, String password, String... extra) {
        List<String> args = new ArrayList<>(List.of("stream", "stdout", "--host", pg.host(), "--port", Integer.toString(pg.port()),
                "--dbname", db, "--user", TestPostgres.SUPERUSER, "--group", "bad", "--status-dir", (statusDir == null ? status : statusDir).toString(),
                "--heartbeat-interval", "0", "--progress-interval", "0"));
        args.addAll(List.of(extra));
        return new PgFloCommandLine(Map.of("PGFLO_PASSWORD", password), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8)).execute(args.toArray(String[]::new));
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aMissingTableIsNamedAndNothingIsWritten(TestPostgres pg) throws Exception {
        String db = pg.createDatabase("badtable");
        pg.execute(db, "CREATE TABLE present (id int PRIMARY KEY)");
        assertThat(stream(pg, db, TestPostgres.SUPERUSER_PASSWORD, "--tables", "present,absent")).isEqualTo(2);
        assertThat(err()).isEqualTo("pg_flo: table public.absent not found in database " + db
                + "; check --tables and --schema" + System.lineSeparator());
        assertThat(out.size()).isZero();
        assertThat(pg.queryLong(db, "SELECT count(*) FROM pg_replication_slots WHERE slot_name = 'pg_flo_bad_slot'"))
                .as("no slot created").isZero();
        try (var files = Files.list(status)) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void aWrongPasswordIsReportedWithoutThePassword(TestPostgres pg) {
        String db = pg.createDatabase("badpw");
        assertThat(stream(pg, db, "not-the-password-42")).isEqualTo(2);
        assertThat(err()).contains("password authentication failed").doesNotContain("not-the-password-42").hasLineCount(1);
    }

    @Test
    void aServerWithoutLogicalWalLevelIsRefused(@TempDir Path dir) {
        try (TestPostgres pg = TestPostgres.start()) {
            String db = pg.createDatabase("replica");
            pg.execute("postgres", "ALTER SYSTEM SET wal_level = 'replica'");
            pg.restart();
            assertThat(stream(pg, db, TestPostgres.SUPERUSER_PASSWORD)).isEqualTo(2);
            assertThat(err()).contains("wal_level is 'replica'").contains("set wal_level = logical").hasLineCount(1);
        }
    }

    @Test
    void aStatusDirectoryThatIsAFileIsRefused(TestPostgres pg) throws Exception {
        String db = pg.createDatabase("badstatus");
        pg.execute(db, "CREATE TABLE t (id int PRIMARY KEY)");
        statusDir = Files.writeString(status.resolve("not-a-dir"), "x");
        assertThat(stream(pg, db, TestPostgres.SUPERUSER_PASSWORD, "--tables", "t")).isEqualTo(2);
        assertThat(err()).contains("--status-dir").contains("not-a-dir").hasLineCount(1);
        assertThat(pg.queryLong(db, "SELECT count(*) FROM pg_replication_slots WHERE slot_name = 'pg_flo_bad_slot'"))
                .as("the slot this failed run created is dropped again").isZero();
    }

    @Test
    void aSpoolDirectoryThatIsAFileIsRefusedBeforeTheSourceIsTouched(TestPostgres pg) throws Exception {
        String db = pg.createDatabase("badspool");
        pg.execute(db, "CREATE TABLE t (id int PRIMARY KEY)");
        Path file = Files.writeString(status.resolve("spool-file"), "x");
        assertThat(stream(pg, db, TestPostgres.SUPERUSER_PASSWORD, "--tables", "t", "--spool-dir", file.toString()))
                .isEqualTo(2);
        assertThat(err()).contains("cannot create --spool-dir " + file).hasLineCount(1);
        assertThat(pg.queryLong(db, "SELECT count(*) FROM pg_replication_slots WHERE slot_name = 'pg_flo_bad_slot'"))
                .as("no slot made").isZero();
    }

    @Test
    void aCorruptStatusFileIsRefusedAndLeftAsItWas(TestPostgres pg) throws Exception {
        String db = pg.createDatabase("corrupt");
        pg.execute(db, "CREATE TABLE t (id int PRIMARY KEY)");
        Path statusFile = Files.writeString(status.resolve("pg_flo_stdout_last_lsn.json"), "{\"lsn\": \"garbage");
        assertThat(stream(pg, db, TestPostgres.SUPERUSER_PASSWORD, "--tables", "t")).isEqualTo(2);
        assertThat(err()).contains("is corrupt").contains(statusFile.toString()).hasLineCount(1);
        assertThat(Files.readString(statusFile)).isEqualTo("{\"lsn\": \"garbage");
        assertThat(pg.queryLong(db, "SELECT count(*) FROM pg_replication_slots WHERE slot_name = 'pg_flo_bad_slot'")).isZero();
    }

    @Test
    void sslModeIsPassedToTheDriver(TestPostgres pg) {
        String db = pg.createDatabase("ssl");
        assertThat(stream(pg, db, TestPostgres.SUPERUSER_PASSWORD, "--sslmode", "require")).isEqualTo(2);
        assertThat(err()).contains("cannot connect").containsIgnoringCase("SSL").hasLineCount(1);
    }
}

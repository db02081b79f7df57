package io.pgflo.plugintestkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The process side of the kit, on a stand-in for pg_flo.jar ({@link FakePgFlo}), so it needs no PostgreSQL. */
class PgFloProcessTest {
    @TempDir
    Path dir;

    private PgFloRun run;

    @BeforeEach
    void run() throws Exception {
        Path plugin = FakePgFloJar.plugin(Files.createDirectories(dir.resolve("build")).resolve("my-sink.jar"));
        run = PgFloRun.with(plugin).pgFloJar(FakePgFloJar.write(dir.resolve("pg_flo.jar")))
                .workDirectory(dir.resolve("run")).timeout(Duration.ofSeconds(20));
    }

    @Test
    void aCommandSeesThePluginAloneInItsDirectoryAndOnlyTheEnvironmentItIsGiven() {
        assertThat(System.getenv("PGFLO_BATCH_SIZE")).as("set for this test JVM by the pom").isEqualTo("7");
        try (PgFloProcess echo = run.env("PGFLO_API_TOKEN", "secret").command("echo")) {
            assertThat(echo.awaitExit()).isZero();
            assertThat(echo.stdout()).startsWith("arg --plugins-dir\narg " + dir.resolve("run/plugins") + "\narg echo\n")
                    .contains("env PGFLO_API_TOKEN=secret\n").endsWith("plugin my-sink.jar\n")
                    .doesNotContain("PGFLO_BATCH_SIZE");
        }
        assertThat(dir.resolve("run/logs/pg_flo-1.stdout")).exists();
        assertThat(dir.resolve("run/logs/pg_flo-1.stderr")).exists();
    }

    @Test
    void aWaitEndsWhenItsConditionHoldsAndAStopReturnsTheExitStatus() {
        try (PgFloProcess pgFlo = run.command("wait")) {
            pgFlo.awaitLog("streaming");
            pgFlo.await("a condition that holds", () -> true);
            assertThat(pgFlo.isAlive()).isTrue();
            assertThat(pgFlo.stop()).as("a JVM's status after SIGTERM; pg_flo itself exits 0").isEqualTo(143);
        }
    }

    @Test
    void aKillIsSigkill() {
        try (PgFloProcess pgFlo = run.command("wait")) {
            pgFlo.awaitLog("streaming");
            assertThat(pgFlo.kill()).isEqualTo(137);
            assertThat(pgFlo.isAlive()).isFalse();
        }
    }

    @Test
    void aWaitFailsAtOnceWhenPgFloExitsWithItsLogInTheMessage() {
        try (PgFloProcess pgFlo = run.command("fail")) {
            assertThatThrownBy(() -> pgFlo.await("something that never happens", () -> false))
                    .isInstanceOf(AssertionError.class)
                    .hasMessageContaining("exited with status 1 while waiting for something that never happens")
                    .hasMessageContaining("pg_flo: the sink failed");
            assertThat(pgFlo.awaitExit()).isEqualTo(1);
        }
    }

    @Test
    void aCommandHasNoSlotToWaitFor() {
        try (PgFloProcess echo = run.command("echo")) {
            assertThatThrownBy(echo::awaitStreaming).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("is not a stream");
        }
    }
}

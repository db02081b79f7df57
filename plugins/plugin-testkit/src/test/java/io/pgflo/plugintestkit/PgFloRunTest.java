package io.pgflo.plugintestkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line a run builds; the process itself is PgFloProcessTest's. */
class PgFloRunTest {
    @TempDir
    Path dir;

    @Test
    void theSourceAndTheKitsFlagsComeBeforeTheCallersSoThatTheCallersWin() throws Exception {
        PgFloRun run = PgFloRun.with(FakePgFloJar.plugin(dir.resolve("my-sink.jar")))
                .source(new Source(null, "db.example", 6543, "orders_7")).tables("a", "b")
                .sink("my-sink", "--out", dir.resolve("out"), "--batch-delay-ms", 0);
        assertThat(String.join(" ", run.streamArguments(Path.of("/p"), Path.of("/s")))).isEqualTo("--plugins-dir /p "
                + "stream my-sink --host db.example --port 6543 --dbname orders_7 --user postgres --group orders_7 "
                + "--status-dir /s --tables a,b --batch-delay-ms 50 --heartbeat-interval 1 --out " + dir.resolve("out")
                + " --batch-delay-ms 0");
    }

    @Test
    void theGroupIsTheDatabasesNameCutToWhatASlotNameHoldsUnlessGiven() throws Exception {
        String longName = "a_database_name_long_enough_to_need_cutting_1234";
        assertThat(new Source(null, "h", 1, longName).defaultGroup()).hasSize(44).endsWith("_1234");
        PgFloRun run = PgFloRun.with(FakePgFloJar.plugin(dir.resolve("p.jar"))).source(new Source(null, "h", 1, "db"))
                .group("Orders-EU").sink("s");
        assertThat(run.streamArguments(dir, dir)).containsSubsequence("--group", "Orders-EU");
        assertThat(Slot.nameFor("Orders-EU")).isEqualTo("pg_flo_orders_eu_slot");
    }

    @Test
    void aPluginJarThatIsNotBuiltYetIsRefusedWithAHint() {
        assertThatThrownBy(() -> PgFloRun.with(dir.resolve("target/my-sink-1.0.jar")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("run the tests after 'package'");
    }

    @Test
    void aStreamNeedsASourceAndASink() throws Exception {
        PgFloRun run = PgFloRun.with(FakePgFloJar.plugin(dir.resolve("p.jar")));
        assertThatThrownBy(run::start).hasMessageStartingWith("no source");
        assertThatThrownBy(run.source(new Source(null, "h", 1, "db"))::start).hasMessageStartingWith("no sink");
    }
}

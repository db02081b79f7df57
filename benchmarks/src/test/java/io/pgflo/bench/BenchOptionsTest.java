package io.pgflo.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class BenchOptionsTest {
    private static final Path REPOSITORY = Path.of("/repo");

    @Test
    void defaultsToTheBulkWorkloadOfAMillionRowsAndEveryContender() {
        BenchOptions options = BenchOptions.parse(new String[0], REPOSITORY);

        assertThat(options.workloads()).containsExactly(new Workload.Bulk(1_000_000));
        assertThat(options.contenders()).isEqualTo(BenchOptions.ALL_CONTENDERS);
        assertThat(options.heaps()).containsExactly("512m");
        assertThat(options.pgFloJar()).isEqualTo(Path.of("/repo/app-cli/target/pg_flo.jar"));
        assertThat(options.writeLatest()).isTrue();
    }

    @Test
    void aBaselineJarRunsEachPgFloContenderTwiceOnTheSameWalAndKeepsLatestJsonAsItIs() {
        BenchOptions options = BenchOptions.parse(new String[] {"--contenders", "recvlogical,file,postgres",
            "--baseline-jar", "/old/pg_flo.jar"}, REPOSITORY);

        assertThat(options.baselineJar()).isEqualTo(Path.of("/old/pg_flo.jar"));
        assertThat(options.writeLatest()).isFalse();
        assertThat(Contenders.selected(options)).extracting(Contender::id)
                .containsExactly("recvlogical", "file", "file@baseline", "postgres", "postgres@baseline");
        assertThat(options.reversed().baselineJar()).isEqualTo(Path.of("/old/pg_flo.jar"));
    }

    @Test
    void bothRunsBulkThenOltp() {
        BenchOptions options = BenchOptions.parse(new String[] {"--workload=both", "--rows", "5,000", "--transactions", "300"}, REPOSITORY);

        assertThat(options.workloads()).containsExactly(new Workload.Bulk(5_000), new Workload.Oltp(300));
        assertThat(options.workloads().get(1).events()).isEqualTo(3_000);
    }

    @Test
    void profilingDefaultsToTheJsonContendersAndKeepsLatestResultsAlone() {
        BenchOptions options = BenchOptions.parse(new String[] {"--profile"}, REPOSITORY);

        assertThat(options.contenders()).containsExactly("recvlogical", "stdout", "file");
        assertThat(options.writeLatest()).isFalse();
    }

    @Test
    void withoutTheClassDataArchiveTheRunKeepsLatestResultsAlone() {
        BenchOptions options = BenchOptions.parse(new String[] {"--no-cds"}, REPOSITORY);

        assertThat(options.cds()).isFalse();
        assertThat(options.writeLatest()).isFalse();
        assertThat(options.reversed().cds()).isFalse();
        assertThat(BenchOptions.parse(new String[0], REPOSITORY).cds()).isTrue();
    }

    @Test
    void aJvmArgumentWithWhitespaceIsRefusedBecauseTheLauncherSplitsOnIt() {
        assertThatThrownBy(() -> BenchOptions.parse(new String[] {"--jvm-arg", "-Xlog:gc:file=/a b/gc.log"}, REPOSITORY))
                .isInstanceOf(BenchOptions.UsageException.class)
                .hasMessage("--jvm-arg '-Xlog:gc:file=/a b/gc.log' holds whitespace, which the pg_flo launcher's "
                        + "PGFLO_JAVA_OPTS cannot carry; pass one option per --jvm-arg");
    }

    @Test
    void runsDebeziumOnlyWhenAskedFor() {
        BenchOptions options = BenchOptions.parse(new String[] {"--contenders", "recvlogical,webhook,debezium"}, REPOSITORY);

        assertThat(options.contenders()).containsExactly("recvlogical", "webhook", "debezium");
        assertThat(BenchOptions.ALL_CONTENDERS).doesNotContain("debezium");
        assertThat(options.repository()).isEqualTo(REPOSITORY);
    }

    @Test
    void repeatsWithTheContendersInReverseOrderEverySecondRun() {
        BenchOptions options = BenchOptions.parse(new String[] {"--contenders", "recvlogical,webhook,debezium", "--repeat", "3"}, REPOSITORY);

        assertThat(options.repeat()).isEqualTo(3);
        assertThat(options.reversed().contenders()).containsExactly("debezium", "webhook", "recvlogical");
        assertThat(options.reversed().repeat()).isEqualTo(3);
        assertThat(BenchOptions.parse(new String[0], REPOSITORY).repeat()).isEqualTo(1);
        assertThatThrownBy(() -> BenchOptions.parse(new String[] {"--repeat", "0"}, REPOSITORY))
                .hasMessageContaining("--repeat must be at least 1");
    }

    @Test
    void eachPgFloContenderRunsOncePerHeapWithASlotAndNameOfItsOwn() {
        BenchOptions options = BenchOptions.parse(new String[] {"--contenders", "recvlogical,postgres", "--heap", "launcher,jvm,1g"},
                REPOSITORY);

        assertThat(Contenders.selected(options)).extracting(Contender::id)
                .containsExactly("recvlogical", "postgres@launcher", "postgres@jvm", "postgres@1g");
        assertThat(Contenders.selected(options)).extracting(Contender::displayName)
                .containsExactly("pg_recvlogical", "pg_flo postgres, launcher's heap", "pg_flo postgres, JVM's heap",
                        "pg_flo postgres, -Xmx1g");
        assertThat(Contenders.selected(options).get(1).names().slot()).isEqualTo("pg_flo_bench_postgres_launcher_slot");
        assertThat(Contenders.selected(options.reversed())).extracting(Contender::id)
                .containsExactly("postgres@1g", "postgres@jvm", "postgres@launcher", "recvlogical");
        assertThat(options.writeLatest()).as("the reference run's file is the default heap's").isFalse();
        assertThat(BenchOptions.heapOptions("launcher")).isEmpty();
        assertThat(BenchOptions.heapOptions("jvm")).containsExactly("-XX:MaxRAMPercentage=25");
        assertThat(BenchOptions.heapOptions("1g")).containsExactly("-Xmx1g");
        assertThat(Contenders.selected(BenchOptions.parse(new String[] {"--contenders", "postgres"}, REPOSITORY)))
                .extracting(Contender::id).containsExactly("postgres");
        assertThatThrownBy(() -> BenchOptions.parse(new String[] {"--heap", "lots"}, REPOSITORY))
                .hasMessageContaining("--heap takes sizes (512m), launcher or jvm, not 'lots'");
    }

    @Test
    void rejectsUnknownContendersByName() {
        assertThatThrownBy(() -> BenchOptions.parse(new String[] {"--contenders", "stdout,kafka"}, REPOSITORY))
                .hasMessageContaining("unknown contender 'kafka'");
    }
}

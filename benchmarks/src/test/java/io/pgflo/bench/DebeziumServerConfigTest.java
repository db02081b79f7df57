package io.pgflo.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgflo.domain.DatabaseEndpoint;
import io.pgflo.wal.ReplicationNames;
import java.io.StringReader;
import java.nio.file.Path;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class DebeziumServerConfigTest {
    @Test
    void drainsTheHarnessSlotAsItIsAndPostsEachEventToTheReceiver() throws Exception {
        Properties properties = new Properties();
        properties.load(new StringReader(config().render()));

        assertThat(properties)
                .containsEntry("debezium.sink.type", "http")
                .containsEntry("debezium.sink.http.url", "http://127.0.0.1:1234/events")
                .containsEntry("debezium.sink.http.batch.enabled", "false")
                .containsEntry("debezium.source.plugin.name", "pgoutput")
                .containsEntry("debezium.source.slot.name", "pg_flo_bench_debezium_slot")
                .containsEntry("debezium.source.publication.name", "pg_flo_bench_debezium_publication")
                .containsEntry("debezium.source.publication.autocreate.mode", "disabled")
                .containsEntry("debezium.source.slot.drop.on.stop", "false")
                .containsEntry("debezium.source.snapshot.mode", "no_data")
                .containsEntry("debezium.source.message.prefix.exclude.list", ".*")
                .containsEntry("debezium.source.heartbeat.interval.ms", "100")
                .containsEntry("debezium.format.value.schemas.enable", "false")
                .containsEntry("debezium.source.offset.storage.file.filename", "/run/offsets.dat");
    }

    @Test
    void leavesThePasswordToTheEnvironment() {
        assertThat(config().render()).doesNotContain("secret")
                .contains("debezium.source.database.password=${" + DebeziumServerConfig.PASSWORD_VARIABLE + "}");
    }

    private static DebeziumServerConfig config() {
        Database database = new Database(new DatabaseEndpoint("localhost", 5432, "bench_bulk", "postgres", "secret", null, null));
        return new DebeziumServerConfig(database, ReplicationNames.forGroup("bench_debezium"), "http://127.0.0.1:1234/events",
                Path.of("/run/offsets.dat"));
    }
}

package io.pgflo.sink.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.beust.jcommander.JCommander;
import io.pgflo.domain.DatabaseEndpoint;
import io.pgflo.sink.api.SinkContext;
import io.pgflo.sink.api.SinkProvider;
import io.pgflo.sink.api.TableName;
import java.nio.file.Path;
import java.util.List;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class PostgresSinkProviderTest {
    private static final SinkContext CONTEXT = new SinkContext("orders", Path.of("status"),
            List.of(new TableName("public", "orders"))).withCapability(DatabaseEndpoint.class,
            new DatabaseEndpoint("source-host", 5432, "app", "replicator", "source-secret", null, null));

    @Test
    void isFoundByServiceLoaderAsPostgres() {
        assertThat(ServiceLoader.load(SinkProvider.class).stream().map(ServiceLoader.Provider::get))
                .anySatisfy(provider -> {
                    assertThat(provider.name()).isEqualTo("postgres");
                    assertThat(provider).isInstanceOf(PostgresSinkProvider.class);
                });
    }

    @Test
    void turnsFlagsIntoAConfigAndCapturesDdlUnlessTurnedOff() {
        PostgresSinkProvider provider = new PostgresSinkProvider();
        PostgresSinkOptions options = parse("--target-host", "replica", "--target-port", "6543", "--target-dbname", "copy",
                "--target-user", "writer", "--target-password", "target-secret", "--target-sslmode", "require",
                "--sync-schema", "--schema-copier", "catalog", "--pg-dump-path", "/opt/pg/bin", "--target-retries", "9");
        assertThat(provider.capturesDdl(options)).isTrue();
        assertThat(provider.acceptsProvisionalChanges(options)).isTrue();
        PostgresSinkConfig config = options.toConfig(CONTEXT);
        assertThat(config.target()).isEqualTo(new DatabaseEndpoint("replica", 6543, "copy", "writer", "target-secret",
                "require", null));
        assertThat(config.group()).isEqualTo("orders");
        assertThat(config.source()).isEqualTo(CONTEXT.capability(DatabaseEndpoint.class).orElseThrow());
        assertThat(config.tables()).isEqualTo(CONTEXT.tables());
        assertThat(config.syncSchema()).isTrue();
        assertThat(config.schemaCopier()).isEqualTo(SchemaSync.Copier.CATALOG);
        assertThat(config.pgDumpPath()).isEqualTo(Path.of("/opt/pg/bin"));
        assertThat(config.maxRetries()).isEqualTo(9);
        assertThat(options.toString()).contains("--target-password ***").doesNotContain("target-secret");

        PostgresSinkOptions off = parse("--target-dbname", "copy", "--target-user", "writer", "--track-ddl", "false",
                "--stream-large-transactions", "false");
        assertThat(provider.capturesDdl(off)).isFalse();
        assertThat(provider.acceptsProvisionalChanges(off)).isFalse();
        assertThat(off.toConfig(CONTEXT).trackDdl()).isFalse();
        assertThat(off.toConfig(CONTEXT).schemaCopier()).isEqualTo(SchemaSync.Copier.AUTO);
    }

    @Test
    void namesTheFlagThatIsWrong() {
        assertThatThrownBy(() -> parse("--target-dbname", "copy", "--target-user", "w", "--target-port", "70000").toConfig(CONTEXT))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--target-port");
        assertThatThrownBy(() -> parse("--target-dbname", "copy", "--target-user", "w", "--schema-copier", "rsync")
                .toConfig(CONTEXT))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--schema-copier");
        assertThatThrownBy(() -> new PostgresSinkOptions().toConfig(CONTEXT))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--target-dbname");
    }

    private static PostgresSinkOptions parse(String... args) {
        PostgresSinkOptions options = new PostgresSinkOptions();
        JCommander.newBuilder().addObject(options).build().parse(args);
        return options;
    }
}

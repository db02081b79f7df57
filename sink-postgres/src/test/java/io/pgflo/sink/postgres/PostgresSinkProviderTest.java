package io.pgflo.sink.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgflo.domain.DatabaseEndpoint;
import io.pgflo.domain.PasswordLookup;
import io.pgflo.domain.StreamSnapshot;
import io.pgflo.sink.api.Lsn;
import io.pgflo.sink.api.Option;
import io.pgflo.sink.api.OptionKind;
import io.pgflo.sink.api.OptionValues;
import io.pgflo.sink.api.SinkContext;
import io.pgflo.sink.api.SinkProvider;
import io.pgflo.sink.api.TableName;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

class PostgresSinkProviderTest {
    private static final DatabaseEndpoint SOURCE =
            new DatabaseEndpoint("source-host", 5432, "app", "replicator", "source-secret", null, null);
    private static final SinkContext CONTEXT = new SinkContext("orders", Path.of("status"),
            List.of(new TableName("public", "orders"))).withCapability(DatabaseEndpoint.class, SOURCE);

    private final PostgresSinkProvider provider = new PostgresSinkProvider();

    @Test
    void isFoundByServiceLoaderAsPostgres() {
        assertThat(ServiceLoader.load(SinkProvider.class).stream().map(ServiceLoader.Provider::get))
                .anySatisfy(found -> {
                    assertThat(found.name()).isEqualTo("postgres");
                    assertThat(found).isInstanceOf(PostgresSinkProvider.class);
                });
    }

    @Test
    void declaresTheFlagsWithTheirKindsAndDefaults() {
        assertThat(StreamSupport.stream(provider.options().spliterator(), false).map(Option::flag)).containsExactly(
                "--target-host", "--target-port", "--target-dbname", "--target-user", "--target-password",
                "--target-sslmode", "--target-sslrootcert", "--sync-schema", "--schema-copier", "--pg-dump-path",
                "--track-ddl", "--stream-large-transactions", "--target-retries", "--copy-existing");
        assertThat(StreamSupport.stream(provider.options().spliterator(), false).filter(Option::required)
                .map(Option::name)).containsExactly("target-dbname", "target-user");
        assertThat(StreamSupport.stream(provider.options().spliterator(), false).filter(Option::secret)
                .map(Option::name)).containsExactly("target-password");
        assertThat(StreamSupport.stream(provider.options().spliterator(), false).map(Option::description))
                .allSatisfy(description -> assertThat(description).isNotBlank());

        assertThat(PostgresSinkOptions.TARGET_PORT.kind()).isEqualTo(OptionKind.WHOLE_NUMBER);
        assertThat(PostgresSinkOptions.TARGET_SSLMODE.allowedValues())
                .containsExactly("disable", "allow", "prefer", "require", "verify-ca", "verify-full");
        assertThat(PostgresSinkOptions.SCHEMA_COPIER.allowedValues()).containsExactly("auto", "pg_dump", "catalog");
        assertThat(PostgresSinkOptions.TRACK_DDL.kind()).isEqualTo(OptionKind.BOOLEAN);
        assertThat(PostgresSinkOptions.COPY_EXISTING.allowedValues()).containsExactly("refuse", "upsert", "truncate");
        assertThat(PostgresSinkOptions.PG_DUMP_PATH.kind()).isEqualTo(OptionKind.PATH);
        assertThat(PostgresSinkOptions.TARGET_PASSWORD.environmentVariable()).isEqualTo("PGFLO_TARGET_PASSWORD");

        OptionValues defaults = parse(Map.of());
        assertThat(defaults.describe()).containsExactly(
                Map.entry("target-host", "localhost"),
                Map.entry("target-port", "5432"),
                Map.entry("target-dbname", "copy"),
                Map.entry("target-user", "writer"),
                Map.entry("sync-schema", "false"),
                Map.entry("schema-copier", "auto"),
                Map.entry("track-ddl", "true"),
                Map.entry("stream-large-transactions", "true"),
                Map.entry("target-retries", "5"),
                Map.entry("copy-existing", "refuse"));
    }

    @Test
    void defaultsMakeTheDefaultConfigAndCaptureDdlAndTakeProvisionalChanges() {
        OptionValues values = parse(Map.of());
        assertThat(provider.capturesDdl(values)).isTrue();
        assertThat(provider.acceptsProvisionalChanges(values)).isTrue();
        PostgresSinkConfig config = PostgresSinkOptions.toConfig(values, CONTEXT);
        assertThat(config.target()).isEqualTo(new DatabaseEndpoint("localhost", 5432, "copy", "writer", null, null, null));
        assertThat(config.group()).isEqualTo("orders");
        assertThat(config.source()).isEqualTo(SOURCE);
        assertThat(config.tables()).isEqualTo(CONTEXT.tables());
        assertThat(config.syncSchema()).isFalse();
        assertThat(config.schemaCopier()).isEqualTo(SchemaSync.Copier.AUTO);
        assertThat(config.pgDumpPath()).isNull();
        assertThat(config.sourceSnapshot()).isNull();
        assertThat(config.trackDdl()).isTrue();
        assertThat(config.maxRetries()).isEqualTo(PostgresSinkConfig.DEFAULT_MAX_RETRIES);
        assertThat(config.retryBackoff()).isEqualTo(PostgresSinkConfig.DEFAULT_RETRY_BACKOFF);
    }

    @Test
    void withoutTargetPasswordThePasswordIsFoundAsLibpqWould() {
        DatabaseEndpoint target = PostgresSinkOptions.toConfig(parse(Map.of()), CONTEXT).target();
        assertThat(target.password()).isNull();
        PasswordLookup lookup = new PasswordLookup(Map.of("PGPASSWORD", "from-environment"), warning -> { });
        assertThat(lookup.find(target)).map(PasswordLookup.Password::value).contains("from-environment");

        DatabaseEndpoint given = PostgresSinkOptions.toConfig(parse(Map.of("target-password", "target-secret")), CONTEXT)
                .target();
        assertThat(lookup.find(given)).hasValueSatisfying(password -> {
            assertThat(password.value()).isEqualTo("target-secret");
            assertThat(password.given()).isTrue();
        });
    }

    @Test
    void mapsEveryFlagIntoTheConfig() {
        OptionValues values = parse(Map.ofEntries(
                Map.entry("target-host", "replica"),
                Map.entry("target-port", "6543"),
                Map.entry("target-password", "target-secret"),
                Map.entry("target-sslmode", "verify-full"),
                Map.entry("target-sslrootcert", "/etc/pgflo/root.crt"),
                Map.entry("sync-schema", "true"),
                Map.entry("schema-copier", "catalog"),
                Map.entry("pg-dump-path", "/opt/pg/bin"),
                Map.entry("track-ddl", "false"),
                Map.entry("stream-large-transactions", "false"),
                Map.entry("target-retries", "9")));
        assertThat(provider.capturesDdl(values)).isFalse();
        assertThat(provider.acceptsProvisionalChanges(values)).isFalse();
        PostgresSinkConfig config = PostgresSinkOptions.toConfig(values, CONTEXT);
        assertThat(config.target()).isEqualTo(new DatabaseEndpoint("replica", 6543, "copy", "writer", "target-secret",
                "verify-full", "/etc/pgflo/root.crt"));
        assertThat(config.source()).isEqualTo(SOURCE);
        assertThat(config.syncSchema()).isTrue();
        assertThat(config.schemaCopier()).isEqualTo(SchemaSync.Copier.CATALOG);
        assertThat(config.pgDumpPath()).isEqualTo(Path.of("/opt/pg/bin"));
        assertThat(config.trackDdl()).isFalse();
        assertThat(config.maxRetries()).isEqualTo(9);

        assertThat(PostgresSinkOptions.toConfig(parse(Map.of("schema-copier", "pg_dump")), CONTEXT).schemaCopier())
                .isEqualTo(SchemaSync.Copier.PG_DUMP);
        assertThat(PostgresSinkOptions.toConfig(parse(Map.of("target-retries", "0")), CONTEXT).maxRetries()).isZero();
    }

    @Test
    void theSnapshotTheStreamStartsFromIsTheSchemaSyncs() {
        SinkContext context = CONTEXT.withCapability(StreamSnapshot.class,
                new StreamSnapshot("00000003-0000001B-1", Lsn.parse("0/1A2B3C")));
        assertThat(PostgresSinkOptions.toConfig(parse(Map.of("sync-schema", "true")), context).sourceSnapshot())
                .isEqualTo("00000003-0000001B-1");
    }

    @Test
    void refusesASnapshotIdThatIsNotOne() {
        PostgresSinkConfig config = PostgresSinkOptions.toConfig(parse(Map.of()), CONTEXT);
        assertThat(config.withSourceSnapshot("00000003-0000001B-1").sourceSnapshot()).isEqualTo("00000003-0000001B-1");
        for (String bad : List.of("", "00000003", "00000003-0000001b-1", "1'; DROP TABLE t; --", "00000003-0000001B-1 ")) {
            assertThatThrownBy(() -> config.withSourceSnapshot(bad))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("the source's snapshot id must be a PostgreSQL snapshot name");
            assertThatThrownBy(() -> new SchemaSync(SOURCE, config.target(), SchemaSync.Copier.AUTO, null)
                    .withSnapshot(bad))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void theTargetPasswordIsNeverShown() {
        OptionValues values = parse(Map.of("target-password", "target-secret"));
        assertThat(values.describe()).containsEntry("target-password", "****");
        assertThat(values.describe().values()).noneMatch(text -> text.contains("target-secret"));
        assertThat(values.toString()).doesNotContain("target-secret");
        assertThat(PostgresSinkOptions.toConfig(values, CONTEXT).toString()).doesNotContain("target-secret")
                .doesNotContain("source-secret");
    }

    @Test
    void refusesBadValuesInOneLineThatNamesTheFlag() {
        assertRefused("target-port", "70000", "--target-port must be a whole number from 1 to 65535, got '70000'");
        assertRefused("target-port", "0", "--target-port must be a whole number from 1 to 65535, got '0'");
        assertRefused("target-port", "pg", "--target-port must be a whole number from 1 to 65535, got 'pg'");
        assertRefused("target-retries", "-1", "--target-retries must be a whole number from 0 to 2147483647, got '-1'");
        assertRefused("target-sslmode", "sometimes", "--target-sslmode must be one of disable, allow, prefer, require, "
                + "verify-ca, verify-full, got 'sometimes'");
        assertRefused("schema-copier", "rsync", "--schema-copier must be one of auto, pg_dump, catalog, got 'rsync'");
        assertRefused("track-ddl", "maybe", "--track-ddl must be true or false, got 'maybe'");
        assertRefused("stream-large-transactions", "2", "--stream-large-transactions must be true or false, got '2'");
        assertRefused("sync-schema", "yesplease", "--sync-schema must be true or false, got 'yesplease'");
        assertRefused("target-host", " ", "--target-host must not be empty");
        assertRefused("target-dbname", "", "--target-dbname must not be empty");
        assertRefused("target-user", "", "--target-user must not be empty");
        assertRefused("pg-dump-path", "", "--pg-dump-path must name a path, got an empty value");
        assertRefused("target-sslrootcert", "", "--target-sslrootcert must name a path, got an empty value");

        assertThatThrownBy(() -> OptionValues.parse(provider.options(), Map.of("target-user", List.of("writer"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("missing required flag --target-dbname (target database)");
        assertThatThrownBy(() -> OptionValues.parse(provider.options(), Map.of("target-dbname", List.of("copy"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("missing required flag --target-user (target user: ")
                .hasMessageNotContaining("\n");
    }

    @Test
    void needsTheSourceFromTheHost() {
        SinkContext withoutSource = new SinkContext("orders", Path.of("status"), CONTEXT.tables());
        assertThatThrownBy(() -> provider.create(parse(Map.of()), withoutSource))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("did not grant it the source");
    }

    private void assertRefused(String name, String text, String message) {
        assertThatThrownBy(() -> parse(Map.of(name, text)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(message)
                .hasMessageNotContaining("\n");
    }

    /** The required flags ({@code --target-dbname copy --target-user writer}) and {@code given}, as the host passes them. */
    private OptionValues parse(Map<String, String> given) {
        Map<String, List<String>> texts = new LinkedHashMap<>();
        texts.put("target-dbname", List.of("copy"));
        texts.put("target-user", List.of("writer"));
        given.forEach((name, text) -> texts.put(name, List.of(text)));
        return OptionValues.parse(provider.options(), texts);
    }
}

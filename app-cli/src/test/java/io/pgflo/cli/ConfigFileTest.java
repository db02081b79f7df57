package io.pgflo.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.beust.jcommander.JCommander;
import com.fasterxml.jackson.core.JsonPointer;
import io.pgflo.sink.api.SinkProvider;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading and checking a config file: what it yields, and the one line for each way it can be wrong. */
class ConfigFileTest {
    @TempDir
    Path dir;

    private static final ConfigKeys KEYS = keys();

    private static ConfigKeys keys() {
        JCommander commander = JCommander.newBuilder().addCommand("stream", new SourceOptions())
                .addCommand("status", new StatusCommand()).build();
        List<SinkProvider> sinks = new ArrayList<>();
        ServiceLoader.load(SinkProvider.class).forEach(sinks::add);
        return ConfigKeys.of(commander, sinks);
    }

    private Path file(String yaml) throws IOException {
        return Files.writeString(dir.resolve("pg_flo.yaml"), yaml);
    }

    private Map<String, ConfigKeys.Setting> check(String yaml) throws IOException {
        return KEYS.check(ConfigFile.read(file(yaml)));
    }

    private void refused(String yaml, String message) throws IOException {
        Path path = file(yaml);
        assertThatThrownBy(() -> KEYS.check(ConfigFile.read(path))).isInstanceOf(ConfigFileException.class)
                .hasMessage(path + ":" + message);
    }

    @Test
    void scalarsBecomeFlagValuesWithWhereTheyStand() throws IOException {
        Map<String, ConfigKeys.Setting> settings = check("""
                host: db.example.com
                port: 5433
                copy-and-stream: true
                webhook-url: "https://hooks.example.com/in"
                """);
        assertThat(settings.get("host").values()).containsExactly("db.example.com");
        assertThat(settings.get("host").at()).isEqualTo(new ConfigLocation(dir.resolve("pg_flo.yaml"), 1, 7));
        assertThat(settings.get("port").text()).isEqualTo("5433");
        assertThat(settings.get("copy-and-stream").text()).isEqualTo("true");
        assertThat(settings.get("webhook-url").text()).isEqualTo("https://hooks.example.com/in");
    }

    @Test
    void listsAreYamlListsOrCommaSeparatedText() throws IOException {
        assertThat(check("tables:\n  - users\n  - orders\n").get("tables").text()).isEqualTo("users,orders");
        assertThat(check("tables: [users, orders]\n").get("tables").values()).containsExactly("users", "orders");
        assertThat(check("tables: users,orders\n").get("tables").text()).isEqualTo("users,orders");
        assertThat(check("webhook-header:\n  - 'X-One: 1'\n  - 'X-Two: 2'\n").get("webhook-header").values())
                .containsExactly("X-One: 1", "X-Two: 2");
    }

    @Test
    void pgFlosExampleKeysLoadWithItsSpellingsMappedToOurs() throws IOException {
        // pg_flo's pg-flo.yaml, key for key, less rules-config and routing-config (the rules and routing flags')
        Map<String, ConfigKeys.Setting> settings = check("""
                # [Replicator] PostgreSQL connection settings
                host: "localhost"
                port: 5432
                dbname: "your_database"
                user: "your_user"
                password: "your_password"
                schema: "public"
                group: "your_group"
                tables:
                  - "table1"
                  - "table2"
                copy-and-stream: false
                max-copy-workers-per-table: 4
                track-ddl: false
                nats-url: "nats://localhost:4222"
                batch-size: 1000
                file-output-dir: "/tmp/pg_flo-output"
                target-host: ""
                target-port: 5432
                target-dbname: ""
                target-user: ""
                target-password: ""
                target-sync-schema: false
                target-disable-foreign-keys: false
                source-host: ""
                source-port: 5432
                source-dbname: ""
                source-user: ""
                source-password: ""
                webhook-url: ""
                """);
        assertThat(settings.get("output-dir").text()).isEqualTo("/tmp/pg_flo-output");
        assertThat(settings.get("sync-schema").text()).isEqualTo("false");
        assertThat(settings.get("tables").values()).containsExactly("table1", "table2");
        assertThat(settings.get("track-ddl").text()).isEqualTo("false");
        // nats-url is the replicator's (pg_flo replicator --config reads pg_flo's file as it is)
        assertThat(settings.get("nats-url").text()).isEqualTo("nats://localhost:4222");
        assertThat(settings).doesNotContainKeys("source-host", "target-disable-foreign-keys",
                "file-output-dir", "target-sync-schema");
    }

    @Test
    void anEmptyValueLeavesTheFlagUnset() throws IOException {
        assertThat(check("spool-dir:\nhost: ~\ntarget-host: \"\"\n")).isEmpty();
        assertThat(check("")).isEmpty();
    }

    @Test
    void aYamlSyntaxErrorNamesLineAndColumn() throws IOException {
        refused("host: db\nport: 5432\n  user: x\n", "3:7: YAML syntax error: mapping values are not allowed here; "
                + "fix the YAML there (indentation, a missing ':' or quote)");
    }

    @Test
    void anUnclosedQuoteIsASyntaxError() throws IOException {
        Path path = file("host: \"db\nport: 5432\n");
        assertThatThrownBy(() -> ConfigFile.read(path)).isInstanceOf(ConfigFileException.class)
                .hasMessageStartingWith(path + ":3:1: YAML syntax error: found unexpected end of stream");
    }

    @Test
    void anUnknownKeyIsAnErrorWithASuggestion() throws IOException {
        refused("host: db\nhots: x\n", "2:1: unknown key 'hots'; did you mean 'host'?; keys are the long flag names "
                + "without '--' (see pg_flo stream <sink> --help)");
        refused("frobnicate: 1\n", "1:1: unknown key 'frobnicate'; keys are the long flag names without '--' "
                + "(see pg_flo stream <sink> --help)");
    }

    @Test
    void wrongTypesAreErrorsAtTheValue() throws IOException {
        refused("port: abc\n", "1:7: 'port' takes a whole number, got 'abc'");
        refused("port: 54.32\n", "1:7: 'port' takes a whole number, got '54.32'");
        refused("copy: maybe\n", "1:7: 'copy' takes true or false, got 'maybe'");
        refused("host: [a, b]\n", "1:7: 'host' takes one value, not a list");
        refused("host:\n  name: a\n", "2:3: 'host' takes one value, not a mapping");
        refused("tables:\n  - users\n  - {name: orders}\n", "3:5: 'tables' takes a list of values, such as [a, b]; "
                + "this element is not a plain value");
    }

    @Test
    void aSinkOptionIsCheckedByItsDeclaration() throws IOException {
        refused("webhook-lanes: 100\n", "1:16: --webhook-lanes must be a whole number from 1 to 64, got '100'");
        refused("max-file-size: lots\n", "1:16: --max-file-size must be a size such as 100MB, 512KB, 1GB or a number "
                + "of bytes, got 'lots'");
    }

    @Test
    void aKeyGivenTwiceIsAnError() throws IOException {
        refused("host: a\nport: 1\nhost: b\n", "3:1: 'host' is given twice (first at line 1); keep one");
        refused("output-dir: /a\nfile-output-dir: /b\n", "2:1: 'file-output-dir' sets output-dir, which line 1 sets "
                + "already; keep one");
    }

    @Test
    void theFileMustBeAMapping() throws IOException {
        refused("- host\n- port\n", "1:1: a config file is a mapping of flag names to values, such as "
                + "'host: db.example.com'");
    }

    @Test
    void theConfigFlagItselfIsNotAKey() throws IOException {
        refused("config: other.yaml\n", "1:1: 'config' is given on the command line only; remove it from the file");
    }

    @Test
    void aMissingFileIsNamed() {
        Path missing = dir.resolve("nope.yaml");
        assertThatThrownBy(() -> ConfigFile.read(missing)).isInstanceOf(ConfigFileException.class)
                .hasMessage(missing + ": no such file; check --config");
    }

    @Test
    void rulesAndRoutingStayTreesWithTheirLocations() throws IOException {
        Path path = file("""
                host: db
                rules:
                  tables:
                    users:
                      - type: transform
                        column: email
                routing:
                  users:
                    destination_table: customers
                """);
        ConfigFile config = ConfigFile.read(path);
        assertThat(KEYS.check(config)).containsOnlyKeys("host");
        ConfigSection rules = config.section("rules").orElseThrow();
        assertThat(rules.name()).isEqualTo("rules");
        assertThat(rules.file()).isEqualTo(path);
        assertThat(rules.tree().at("/tables/users/0/column").asText()).isEqualTo("email");
        assertThat(rules.location()).isEqualTo(new ConfigLocation(path, 3, 3));
        assertThat(rules.at(JsonPointer.compile("/tables/users/0/column")))
                .isEqualTo(new ConfigLocation(path, 6, 17));
        assertThat(rules.at(JsonPointer.compile("/tables/users/0/nothing"))).hasToString(path + ":5:9");
        assertThat(config.section("routing").orElseThrow().tree().at("/users/destination_table").asText())
                .isEqualTo("customers");
        assertThat(config.section("nothing")).isEmpty();
    }

    @Test
    void aRulesKeyThatIsNotASectionIsAnError() throws IOException {
        refused("rules: rules.yaml\n", "1:8: 'rules' holds the rules themselves, as a mapping (as in a rules file); "
                + "to name a file, use 'rules-config'");
    }

    @Test
    void backfillStatusAndDropTakeOnlyTheSourceGroupCheckpointsAndLogging() throws IOException {
        ConfigFile config = ConfigFile.read(file("host: db\ngroup: g\ntables: [a]\nschema: s\nstatus-dir: /st\n"
                + "log-level: debug\nbatch-size: 7\n"));
        for (String command : List.of("backfill", "status", "drop")) {
            assertThat(SettingLayers.of(Map.of(), config, command, KEYS).lookup()).as(command)
                    .containsOnlyKeys("PGFLO_HOST", "PGFLO_GROUP", "PGFLO_STATUS_DIR", "PGFLO_LOG_LEVEL");
        }
        assertThat(SettingLayers.of(Map.of("PGFLO_HOST", "env"), config, "stream", KEYS).lookup())
                .containsEntry("PGFLO_HOST", "env").containsEntry("PGFLO_TABLES", "a")
                .containsEntry("PGFLO_SCHEMA", "s").containsEntry("PGFLO_BATCH_SIZE", "7");
    }
}

package io.pgflo.json;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.pgflo.sink.api.Lsn;
import io.pgflo.sink.api.Position;
import io.pgflo.json.JsonStatusFile.StatusRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JsonStatusFileTest {
    @TempDir
    Path directory;

    @Test
    void aCheckpointInsideATransactionKeepsItsOrdinalBesideTheLsn(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("sink.json");
        new JsonStatusFile(file).save(new StatusRecord(Position.parse("0/1A#4"), Map.of("offset", "9")));
        assertThat(Files.readString(file)).startsWith("{\"lsn\":\"0/1A\",\"ordinal\":\"4\",\"updated_at\":");
        assertThat(new JsonStatusFile(file).loadRecord())
                .isEqualTo(new StatusRecord(Position.of(Lsn.of(0x1A), 4), Map.of("offset", "9")));
        Files.writeString(file, "{\"lsn\":\"0/1A\",\"ordinal\":\"-4\"}");
        assertThatThrownBy(() -> new JsonStatusFile(file).load()).hasMessageContaining("ordinal '-4' is not a whole number");
    }

    @Test
    void missingFileLoadsAsZero() {
        JsonStatusFile status = new JsonStatusFile(directory.resolve("sink.json"));

        assertThat(status.load()).isEqualTo(Position.START);
        assertThat(status.loadRecord()).isEqualTo(new StatusRecord(Lsn.ZERO, Map.of()));
        assertThat(directory.resolve("sink.json")).doesNotExist();
    }

    @Test
    void savedCheckpointLoadsBackInANewInstance() {
        Path file = directory.resolve("sink.json");
        new JsonStatusFile(file).save(Position.parse("0/16B3748"));

        assertThat(new JsonStatusFile(file).load()).isEqualTo(Position.parse("0/16B3748"));
        assertThat(new JsonStatusFile(file).loadRecord().attributes()).isEmpty();
    }

    @Test
    void recordRoundTripKeepsAttributesInTheirOrder() {
        Path file = directory.resolve("file-sink.json");
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put("file", "/data/out/pg_flo_2026-11-24T12-00-00.jsonl");
        attributes.put("offset", "123");
        attributes.put("zeta", "last in alphabet, first after offset");
        attributes.put("alpha", "quote \" backslash \\ newline \n 🐘");
        StatusRecord record = new StatusRecord(Lsn.parse("AB/CDEF0123"), attributes);

        new JsonStatusFile(file).save(record);
        StatusRecord loaded = new JsonStatusFile(file).loadRecord();

        assertThat(loaded).isEqualTo(record);
        assertThat(new ArrayList<>(loaded.attributes().keySet())).containsExactly("file", "offset", "zeta", "alpha");
    }

    @Test
    void fileHoldsLsnUpdateTimeAndAttributesAsTopLevelStrings() throws IOException {
        Path file = directory.resolve("sink.json");
        Instant before = Instant.now().minus(Duration.ofSeconds(1));

        new JsonStatusFile(file).save(new StatusRecord(Lsn.parse("0/16B3748"), Map.of("offset", "123")));

        String content = Files.readString(file, UTF_8);
        assertThat(content).startsWith("{\"lsn\":\"0/16B3748\",\"updated_at\":\"").endsWith("\"offset\":\"123\"}\n");
        JsonNode json = EventJsonEncoderTest.parse(content.getBytes(UTF_8));
        assertThat(Instant.parse(json.get("updated_at").textValue())).isBetween(before, Instant.now());
    }

    @Test
    void saveReplacesTheFileAtomicallyAndLeavesNoTemporaryFile() throws IOException {
        Path file = directory.resolve("sink.json");
        JsonStatusFile status = new JsonStatusFile(file);

        status.save(new StatusRecord(Lsn.parse("0/1"), Map.of("file", "a.jsonl", "offset", "10")));
        status.save(Position.parse("0/2"));
        for (int i = 3; i < 50; i++) {
            status.save(new StatusRecord(Lsn.of(i), Map.of("offset", Integer.toString(i))));
        }

        assertThat(status.loadRecord()).isEqualTo(new StatusRecord(Lsn.of(49), Map.of("offset", "49")));
        try (Stream<Path> files = Files.list(directory)) {
            assertThat(files.map(p -> p.getFileName().toString()).toList()).containsExactly("sink.json");
        }
    }

    @Test
    void saveWithoutAttributesDropsThePreviousOnes() {
        JsonStatusFile status = new JsonStatusFile(directory.resolve("sink.json"));
        status.save(new StatusRecord(Lsn.parse("0/1"), Map.of("offset", "10")));

        status.save(Position.parse("0/2"));

        assertThat(status.loadRecord()).isEqualTo(new StatusRecord(Lsn.parse("0/2"), Map.of()));
    }

    @Test
    void constructorCreatesMissingDirectories() {
        Path file = directory.resolve("a/b/c/sink.json");

        new JsonStatusFile(file).save(Position.parse("1/0"));

        assertThat(new JsonStatusFile(file).load()).isEqualTo(Position.parse("1/0"));
    }

    @Test
    void handEditedNumberAttributeIsReadAsItsText() throws IOException {
        Path file = directory.resolve("sink.json");
        Files.writeString(file, "{ \"lsn\": \"0/10\", \"offset\": 123, \"rotated\": true }");

        assertThat(new JsonStatusFile(file).loadRecord())
                .isEqualTo(new StatusRecord(Lsn.parse("0/10"), Map.of("offset", "123", "rotated", "true")));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "",
        "   ",
        "not json",
        "{\"lsn\":\"0/16B3748\"",
        "[\"0/16B3748\"]",
        "{\"updated_at\":\"2026-11-24T12:00:00Z\"}",
        "{\"lsn\":\"16B3748\"}",
        "{\"lsn\":null}",
        "{\"lsn\":\"0/1\",\"offset\":{\"nested\":1}}",
        "{\"lsn\":\"0/1\",\"lsn\":\"0/2\"}",
        "{\"lsn\":\"0/1\"} trailing",
        "{\"lsn\":\"0/1\"}{\"lsn\":\"0/2\"}",
    })
    void corruptFileFailsWithItsPathAndWhatToDo(String content) throws IOException {
        Path file = directory.resolve("sink.json");
        Files.writeString(file, content);
        JsonStatusFile status = new JsonStatusFile(file);

        assertThatThrownBy(status::load)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("status file " + file.toAbsolutePath() + " is corrupt (")
                .hasMessageEndingWith("): fix it or delete it to restart from the replication slot's position")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @Test
    void corruptFileMessageSaysWhatIsWrong() throws IOException {
        Path file = directory.resolve("sink.json");
        Files.writeString(file, "{\"lsn\":\"zz/1\"}");

        assertThatThrownBy(() -> new JsonStatusFile(file).load()).hasMessageContaining("lsn 'zz/1' is not an LSN");
    }

    @Test
    void statusPathThatIsADirectoryFailsWithItsPath() throws IOException {
        Path file = directory.resolve("sink.json");
        Files.createDirectory(file);

        assertThatThrownBy(() -> new JsonStatusFile(file).load())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("cannot read status file " + file.toAbsolutePath());
    }

    @Test
    void directoryThatCannotBeCreatedFailsNamingIt() throws IOException {
        Path blocker = Files.writeString(directory.resolve("status"), "a file where the directory should be");

        assertThatThrownBy(() -> new JsonStatusFile(blocker.resolve("sink.json")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("cannot create status directory " + blocker.toAbsolutePath());
    }

    @Test
    void directoryThatCannotBeWrittenFailsTheSaveNamingIt() throws IOException {
        Path statusDirectory = Files.createDirectory(directory.resolve("status"));
        JsonStatusFile status = new JsonStatusFile(statusDirectory.resolve("sink.json"));
        Files.delete(statusDirectory);
        Files.writeString(statusDirectory, "the directory was replaced by a file");

        assertThatThrownBy(() -> status.save(Position.parse("0/1")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("status directory " + statusDirectory.toAbsolutePath() + " cannot be written");
    }

    @Test
    void failedSaveKeepsThePreviousCheckpoint() throws IOException {
        Path file = directory.resolve("sink.json");
        JsonStatusFile status = new JsonStatusFile(file);
        status.save(new StatusRecord(Lsn.parse("0/10"), Map.of("offset", "5")));
        Path blockedTemporary = Files.createDirectory(directory.resolve("sink.json.tmp"));
        Files.writeString(blockedTemporary.resolve("keep"), "makes the temporary path an unwritable, non-empty directory");

        assertThatThrownBy(() -> status.save(Position.parse("0/20")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(directory.toAbsolutePath().toString());

        assertThat(status.loadRecord()).isEqualTo(new StatusRecord(Lsn.parse("0/10"), Map.of("offset", "5")));
    }

    @Test
    void attributesCannotTakeTheReservedNames() {
        for (String reserved : List.of("lsn", "updated_at")) {
            assertThatThrownBy(() -> new StatusRecord(Lsn.ZERO, Map.of(reserved, "x")))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(reserved);
        }
    }

    @Test
    void recordAttributesAreACopyThatCannotChange() {
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put("offset", "1");
        StatusRecord record = new StatusRecord(Lsn.ZERO, attributes);
        attributes.put("offset", "2");

        assertThat(record.attributes()).containsExactlyEntriesOf(Map.of("offset", "1"));
        assertThatThrownBy(() -> record.attributes().put("x", "y")).isInstanceOf(UnsupportedOperationException.class);
    }
}

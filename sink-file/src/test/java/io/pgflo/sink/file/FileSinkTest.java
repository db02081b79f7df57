package io.pgflo.sink.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.pgflo.sink.api.Batch;
import io.pgflo.sink.api.Position;
import io.pgflo.sink.api.ConfigurationException;
import io.pgflo.sink.api.Lsn;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The file sink on real files: layout, rotation, checkpoints, crash recovery, compression, errors. */
class FileSinkTest {
    private static final Instant START = Instant.parse("2026-11-24T12:00:00Z");

    @TempDir
    Path temp;

    private Path out() {
        return temp.resolve("out");
    }

    private Path status() {
        return temp.resolve("status");
    }

    private FileSinkConfig config() {
        return FileSinkConfig.of(out(), status());
    }

    @Test
    void writesOneJsonLinePerEventAndSavesTheCheckpointWithTheFileAndTheOffsetItCovers() throws IOException {
        TestTransactions source = new TestTransactions().add(3);
        try (FileSink sink = new FileSink(config())) {
            write(sink, TestTransactions.batchOf(source.get(0)));

            assertThat(sink.lastCheckpoint()).isEqualTo(Position.afterTransaction(source.get(0).endLsn()));
            Path file = sink.currentFile();
            assertThat(file.getFileName().toString()).matches("pg_flo_log_\\d{8}T\\d{6}\\.\\d{6}Z\\.jsonl");
            List<String> lines = Files.readAllLines(file);
            assertThat(lines).hasSize(3);
            JsonNode first = OutputFiles.JSON.readTree(lines.get(0));
            assertThat(first.get("type").asText()).isEqualTo("INSERT");
            assertThat(first.get("table").asText()).isEqualTo("items");
            assertThat(first.get("data").get("id").asLong()).isEqualTo(1);
            JsonNode saved = OutputFiles.status(status());
            assertThat(saved.get("lsn").asText()).isEqualTo(source.get(0).endLsn().toString());
            assertThat(saved.get("file").asText()).isEqualTo(file.getFileName().toString());
            assertThat(saved.get("offset").asLong()).isEqualTo(Files.size(file));
        }
    }

    @Test
    void rotatesBySizeIntoSeveralFilesWhoseConcatenationInNameOrderIsTheWholeStreamInOrder() {
        TestTransactions source = new TestTransactions();
        for (int i = 0; i < 60; i++) {
            source.add(1 + i % 4);
        }
        try (FileSink sink = new FileSink(config().withMaxFileSize(2_000))) {
            source.deliver(sink, 5);
        }

        List<Path> files = OutputFiles.list(out());
        assertThat(files).hasSizeGreaterThan(5);
        assertThat(OutputFiles.ids(out())).isEqualTo(source.ids());
        for (Path file : files.subList(0, files.size() - 1)) {
            assertThat(size(file)).as("rotated only at or past the limit: %s", file).isGreaterThanOrEqualTo(2_000);
            assertThat(OutputFiles.content(file)).endsWith("\n");
        }
    }

    @Test
    void rotatesByAgeOnTheConfiguredClock() {
        MutableClock clock = new MutableClock(START);
        TestTransactions source = new TestTransactions().add(1, 1, 1);
        try (FileSink sink = new FileSink(config().withMaxFileAge(Duration.ofHours(1)).withClock(clock))) {
            write(sink, TestTransactions.batchOf(source.get(0)));
            clock.advance(Duration.ofMinutes(30));
            write(sink, TestTransactions.batchOf(source.get(1)));
            assertThat(OutputFiles.names(out())).containsExactly("pg_flo_log_20261124T120000.000000Z.jsonl");

            clock.advance(Duration.ofMinutes(31));
            write(sink, TestTransactions.batchOf(source.get(2)));
        }

        assertThat(OutputFiles.names(out()))
                .containsExactly("pg_flo_log_20261124T120000.000000Z.jsonl", "pg_flo_log_20261124T130100.000000Z.jsonl");
        List<Path> files = OutputFiles.list(out());
        assertThat(OutputFiles.ids(files.get(0), OutputFiles.content(files.get(0)))).containsExactly(1L, 2L);
        assertThat(OutputFiles.ids(files.get(1), OutputFiles.content(files.get(1)))).containsExactly(3L);
    }

    @Test
    void givesUniqueIncreasingNamesWhenRotationsHappenInTheSameInstant() {
        TestTransactions source = new TestTransactions().add(1, 1, 1);
        try (FileSink sink = new FileSink(config().withMaxFileSize(1).withClock(Clock.fixed(START, ZoneOffset.UTC)))) {
            source.deliverEachAlone(sink);
        }

        assertThat(OutputFiles.names(out())).containsExactly(
                "pg_flo_log_20261124T120000.000000Z.jsonl",
                "pg_flo_log_20261124T120000.000001Z.jsonl",
                "pg_flo_log_20261124T120000.000002Z.jsonl",
                "pg_flo_log_20261124T120000.000003Z.jsonl");
        assertThat(OutputFiles.ids(out())).containsExactly(1L, 2L, 3L);
    }

    @Test
    void truncatesWhatWasWrittenAfterTheCheckpointOnRestartSoThatRedeliveryWritesEveryEventOnce() throws IOException {
        TestTransactions source = new TestTransactions().add(2, 3, 1, 4);
        FileSink crashed = new FileSink(config());
        source.deliver(crashed, 100, 2);
        crashed.flush();
        Path file = crashed.currentFile();
        long covered = Files.size(file);
        // The crash: a later batch reached the file (whole lines and a torn one), its checkpoint did not.
        Files.writeString(file, "{\"type\":\"INSERT\",\"data\":{\"id\":6}}\n{\"type\":\"INS", StandardOpenOption.APPEND);

        try (FileSink restarted = new FileSink(config())) {
            assertThat(Files.size(file)).isEqualTo(covered);
            assertThat(restarted.lastCheckpoint()).isEqualTo(Position.afterTransaction(source.get(1).endLsn()));
            assertThat(restarted.currentFile()).isEqualTo(file);
            source.deliver(restarted, 100);
        }

        assertThat(OutputFiles.ids(out())).isEqualTo(source.ids());
    }

    @Test
    void restartsFromTheLastCommittedTransactionAfterACrashInsideATransactionSplitAcrossBatches() throws IOException {
        TestTransactions source = new TestTransactions().add(3, 10, 2);
        FileSink crashed = new FileSink(config());
        write(crashed, TestTransactions.batchOf(source.get(0)));
        long afterFirst = Files.size(crashed.currentFile());
        TestTransactions.deliverWithoutCommit(crashed, source.get(1), 4);
        assertThat(crashed.lastCheckpoint()).isEqualTo(Position.afterTransaction(source.get(0).endLsn()));
        assertThat(OutputFiles.status(status()).get("offset").asLong()).isEqualTo(afterFirst);
        assertThat(Files.size(crashed.currentFile())).as("split transaction's batches reached the file").isGreaterThan(afterFirst);

        try (FileSink restarted = new FileSink(config())) {
            assertThat(Files.size(restarted.currentFile())).isEqualTo(afterFirst);
            assertThat(restarted.lastCheckpoint()).isEqualTo(Position.afterTransaction(source.get(0).endLsn()));
            source.deliver(restarted, 4);
        }

        assertThat(OutputFiles.ids(out())).isEqualTo(source.ids());
    }

    @Test
    void keepsATransactionSplitAcrossBatchesInOneFileAndRotatesOnlyOnceItsCheckpointIsSaved() {
        TestTransactions source = new TestTransactions().add(2, 10, 1);
        try (FileSink sink = new FileSink(config().withMaxFileSize(1))) {
            source.deliver(sink, 3, 2);
            source.deliver(sink, 3);
        }

        List<Path> files = OutputFiles.list(out());
        assertThat(files).hasSize(4);
        assertThat(OutputFiles.ids(files.get(0), OutputFiles.content(files.get(0)))).containsExactly(1L, 2L);
        assertThat(OutputFiles.ids(files.get(1), OutputFiles.content(files.get(1))))
                .containsExactly(3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L, 11L, 12L);
        assertThat(OutputFiles.ids(files.get(2), OutputFiles.content(files.get(2)))).containsExactly(13L);
        assertThat(OutputFiles.content(files.get(3))).isEmpty();
    }

    @Test
    void deletesFilesNewerThanTheCheckpointedFileOnRestartAndLeavesOtherFilesAlone() throws IOException {
        TestTransactions source = new TestTransactions().add(1, 1);
        FileSink crashed = new FileSink(config().withClock(Clock.fixed(START, ZoneOffset.UTC)));
        source.deliver(crashed, 100, 1);
        Path newer = out().resolve("pg_flo_log_20261124T130000.000000Z.jsonl");
        Path newerCompressed = out().resolve("pg_flo_log_20261124T140000.000000Z.jsonl.gz");
        Path notOurs = out().resolve("README.txt");
        Files.writeString(newer, "{\"data\":{\"id\":99}}\n");
        Files.writeString(newerCompressed, "junk");
        Files.writeString(notOurs, "keep me");

        try (FileSink restarted = new FileSink(config())) {
            source.deliver(restarted, 100);
        }

        assertThat(newer).doesNotExist();
        assertThat(newerCompressed).doesNotExist();
        assertThat(notOurs).hasContent("keep me");
        assertThat(OutputFiles.ids(out())).isEqualTo(source.ids());
    }

    @Test
    void gzipsRotatedFilesIntoValidGzipOfCompleteFiles() {
        TestTransactions source = new TestTransactions();
        for (int i = 0; i < 30; i++) {
            source.add(2);
        }
        try (FileSink sink = new FileSink(config().withMaxFileSize(600).withCompress(true))) {
            source.deliver(sink, 4);
        }

        List<String> names = OutputFiles.names(out());
        assertThat(names).hasSizeGreaterThan(3);
        assertThat(names.subList(0, names.size() - 1)).allMatch(name -> name.endsWith(".jsonl.gz"));
        assertThat(names.get(names.size() - 1)).endsWith(".jsonl");
        for (Path file : OutputFiles.list(out()).subList(0, names.size() - 1)) {
            assertThat(OutputFiles.content(file)).as("decompressed %s", file).isNotEmpty().endsWith("\n");
        }
        assertThat(OutputFiles.ids(out())).isEqualTo(source.ids());
    }

    @Test
    void finishesOrRedoesAnInterruptedGzipOnStart() throws IOException {
        TestTransactions source = new TestTransactions().add(3, 3, 3);
        try (FileSink sink = new FileSink(config().withMaxFileSize(1))) {
            source.deliverEachAlone(sink);
        }
        List<Path> files = OutputFiles.list(out());
        assertThat(files).hasSize(4);
        Path first = files.get(0);
        Path second = files.get(1);
        String firstContent = OutputFiles.content(first);
        String secondContent = OutputFiles.content(second);
        // A crash in the middle of gzipping the first file, and one between the rename and the delete for the second.
        Path firstTemp = Path.of(first + ".gz.tmp");
        Files.write(firstTemp, new byte[] {0x1f, (byte) 0x8b, 8, 0});
        Path secondGz = Path.of(second + ".gz");
        try (OutputStream gzip = new GZIPOutputStream(Files.newOutputStream(secondGz))) {
            gzip.write(secondContent.getBytes(StandardCharsets.UTF_8));
        }

        try (FileSink restarted = new FileSink(config().withMaxFileSize(1).withCompress(true))) {
            assertThat(restarted.lastCheckpoint()).isEqualTo(Position.afterTransaction(source.get(2).endLsn()));
        }

        assertThat(firstTemp).doesNotExist();
        assertThat(first).doesNotExist();
        assertThat(OutputFiles.content(Path.of(first + ".gz"))).isEqualTo(firstContent);
        assertThat(second).doesNotExist();
        assertThat(OutputFiles.content(secondGz)).isEqualTo(secondContent);
        assertThat(OutputFiles.ids(out())).isEqualTo(source.ids());
    }

    @Test
    void movesTheCheckpointOnABatchWithoutEvents() {
        Lsn heartbeat = Lsn.parse("0/5000");
        try (FileSink sink = new FileSink(config())) {
            write(sink, Batch.of(List.of(), heartbeat));
            assertThat(sink.lastCheckpoint()).isEqualTo(Position.afterTransaction(heartbeat));
        }
        assertThat(OutputFiles.status(status()).get("lsn").asText()).isEqualTo("0/5000");
        try (FileSink restarted = new FileSink(config())) {
            assertThat(restarted.lastCheckpoint()).isEqualTo(Position.afterTransaction(heartbeat));
        }
    }

    @Test
    void cleanCloseRemovesTheEventsOfATransactionThatHasNotEnded() throws IOException {
        TestTransactions source = new TestTransactions().add(2, 5);
        Path file;
        try (FileSink sink = new FileSink(config())) {
            write(sink, TestTransactions.batchOf(source.get(0)));
            TestTransactions.deliverWithoutCommit(sink, source.get(1), 2);
            file = sink.currentFile();
        }
        assertThat(OutputFiles.ids(file, Files.readString(file))).containsExactly(1L, 2L);
        assertThat(Files.size(file)).isEqualTo(OutputFiles.status(status()).get("offset").asLong());
    }

    @Test
    void continuesTheCheckpointedFileAfterACleanRestart() {
        TestTransactions source = new TestTransactions().add(2, 2, 2);
        try (FileSink sink = new FileSink(config())) {
            source.deliver(sink, 100, 1);
        }
        try (FileSink sink = new FileSink(config())) {
            source.deliver(sink, 100);
        }
        assertThat(OutputFiles.list(out())).hasSize(1);
        assertThat(OutputFiles.ids(out())).isEqualTo(source.ids());
    }

    @Test
    void startsANewerFileAndLeavesExistingFilesAloneWhenThereIsNoCheckpoint() throws IOException {
        Files.createDirectories(out());
        Path existing = out().resolve("pg_flo_log_29991231T235959.999999Z.jsonl");
        Files.writeString(existing, "{\"old\":true}\n");
        TestTransactions source = new TestTransactions().add(1);

        try (FileSink sink = new FileSink(config().withCompress(true))) {
            assertThat(sink.lastCheckpoint()).isEqualTo(Position.START);
            source.deliver(sink, 100);
            assertThat(sink.currentFile().getFileName().toString()).isEqualTo("pg_flo_log_30000101T000000.000000Z.jsonl");
        }
        assertThat(existing).hasContent("{\"old\":true}");
        assertThat(OutputFiles.names(out())).hasSize(2).first().isEqualTo(existing.getFileName().toString());
    }

    @Test
    void rotatesOnStartWhenTheCheckpointedFileIsAlreadyFull() {
        TestTransactions source = new TestTransactions().add(5, 1);
        try (FileSink sink = new FileSink(config())) {
            source.deliver(sink, 100, 1);
        }
        try (FileSink sink = new FileSink(config().withMaxFileSize(10))) {
            assertThat(OutputFiles.list(out())).hasSize(2);
            source.deliver(sink, 100);
        }
        List<Path> files = OutputFiles.list(out());
        assertThat(OutputFiles.ids(files.get(0), OutputFiles.content(files.get(0)))).containsExactly(1L, 2L, 3L, 4L, 5L);
        assertThat(OutputFiles.ids(files.get(1), OutputFiles.content(files.get(1)))).containsExactly(6L);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{not json",
        "",
        "{\"lsn\":\"0/10\",\"offset\":\"5\"}",
        "{\"lsn\":\"0/10\",\"file\":\"pg_flo_log_20261124T120000.000000Z.jsonl\",\"offset\":\"-1\"}",
        "{\"lsn\":\"0/10\",\"file\":\"../../etc/passwd\",\"offset\":\"0\"}",
        "{\"lsn\":\"zero\",\"file\":\"pg_flo_log_20261124T120000.000000Z.jsonl\",\"offset\":\"0\"}"
    })
    void refusesACorruptStatusFileWithAOneLineErrorNamingIt(String content) throws IOException {
        Files.createDirectories(status());
        Path statusFile = status().resolve(FileSinkConfig.STATUS_FILE);
        Files.writeString(statusFile, content);

        assertThatThrownBy(() -> new FileSink(config()))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining(statusFile.toString())
                .hasMessageContaining("corrupt")
                .hasMessageNotContaining("\n");
        assertThat(statusFile).hasContent(content);
    }

    @Test
    void refusesAnOutputDirThatIsARegularFile() throws IOException {
        Files.writeString(temp.resolve("out"), "a file");

        assertThatThrownBy(() -> new FileSink(config()))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("--output-dir " + out())
                .hasMessageContaining("not a directory")
                .hasMessageNotContaining("\n");
    }

    @Test
    void refusesAnOutputDirBelowARegularFile() throws IOException {
        Files.writeString(temp.resolve("file"), "a file");
        FileSinkConfig config = FileSinkConfig.of(temp.resolve("file").resolve("out"), status());

        assertThatThrownBy(() -> new FileSink(config))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("cannot create --output-dir")
                .hasMessageNotContaining("\n");
    }

    @Test
    void refusesAStatusDirThatIsARegularFile() throws IOException {
        Files.writeString(status(), "a file");

        assertThatThrownBy(() -> new FileSink(config()))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining(status().toString())
                .hasMessageNotContaining("\n");
    }

    @Test
    void refusesACheckpointedFileShorterThanItsCheckpoint() throws IOException {
        TestTransactions source = new TestTransactions().add(3);
        Path file;
        try (FileSink sink = new FileSink(config())) {
            source.deliver(sink, 100);
            file = sink.currentFile();
        }
        Files.writeString(file, "{}\n");

        assertThatThrownBy(() -> new FileSink(config()))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("3 bytes")
                .hasMessageNotContaining("\n");
    }

    @Test
    void refusesAMissingCheckpointedFileAndDeletesNothing() throws IOException {
        TestTransactions source = new TestTransactions().add(3);
        Path file;
        try (FileSink sink = new FileSink(config())) {
            source.deliver(sink, 100);
            file = sink.currentFile();
        }
        Files.delete(file);
        Path newer = out().resolve("pg_flo_log_29991231T235959.999999Z.jsonl");
        Files.writeString(newer, "{}\n");

        assertThatThrownBy(() -> new FileSink(config()))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining(file + " is missing")
                .hasMessageNotContaining("\n");
        assertThat(newer).as("nothing deleted when the files do not match the checkpoint").exists();
    }

    @Test
    void failsAFullDiskWriteNamingTheFileAndLsnAndKeepsTheCheckpoint() throws IOException {
        Path devFull = Path.of("/dev/full");
        assertThat(devFull).as("Linux's always-full device").exists();
        Path file;
        try (FileSink sink = new FileSink(config())) {
            file = sink.currentFile();
        }
        // The current file now sits on a "disk" that is always full.
        Files.delete(file);
        Files.createSymbolicLink(file, devFull);
        TestTransactions source = new TestTransactions().add(3, 1);

        try (FileSink sink = new FileSink(config())) {
            Lsn target = source.get(0).endLsn();
            assertThatThrownBy(() -> write(sink, TestTransactions.batchOf(source.get(0))))
                    .isInstanceOf(UncheckedIOException.class)
                    .hasMessageContaining(file.toString())
                    .hasMessageContaining(target.toString())
                    .hasMessageContaining("No space left on device")
                    .hasMessageNotContaining("\n");
            assertThat(sink.lastCheckpoint()).isEqualTo(Position.START);
            assertThat(OutputFiles.status(status()).get("lsn").asText()).isEqualTo("0/0");
            assertThatThrownBy(() -> write(sink, TestTransactions.batchOf(source.get(1))))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("earlier failure");
        }
    }

    @Test
    void failsAFailedCheckpointSaveWithoutMovingTheCheckpointAndTrimsTheFileOnClose() throws IOException {
        TestTransactions source = new TestTransactions().add(2, 2);
        Path file;
        long covered;
        try (FileSink sink = new FileSink(config())) {
            write(sink, TestTransactions.batchOf(source.get(0)));
            file = sink.currentFile();
            covered = Files.size(file);
            // The status file can no longer be replaced: a directory that is not empty has taken its name.
            Path statusFile = status().resolve(FileSinkConfig.STATUS_FILE);
            Files.delete(statusFile);
            Files.createDirectories(statusFile.resolve("blocker"));

            assertThatThrownBy(() -> write(sink, TestTransactions.batchOf(source.get(1))))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("cannot save checkpoint " + source.get(1).endLsn())
                    .hasMessageContaining(file.toString())
                    .hasMessageContaining("the checkpoint stays at " + source.get(0).endLsn())
                    .hasMessageNotContaining("\n");
            assertThat(sink.lastCheckpoint()).isEqualTo(Position.afterTransaction(source.get(0).endLsn()));
            assertThat(Files.size(file)).isGreaterThan(covered);
        }
        assertThat(Files.size(file)).as("trimmed back to the last checkpoint on close").isEqualTo(covered);
    }

    @Test
    void aBatchIsCheckpointedWhenItIsOnDiskWhichFlushWaitsFor() throws IOException {
        TestTransactions source = new TestTransactions().add(2, 2, 2, 2);
        try (FileSink sink = new FileSink(config())) {
            for (int i = 0; i < 4; i++) {
                sink.writeBatch(TestTransactions.batchOf(source.get(i)));
                assertThat(sink.lastCheckpoint()).isLessThanOrEqualTo(Position.afterTransaction(source.get(i).endLsn()));
            }
            sink.flush();
            assertThat(sink.lastCheckpoint()).isEqualTo(Position.afterTransaction(source.get(3).endLsn()));
            assertThat(OutputFiles.status(status()).get("lsn").asText()).isEqualTo(source.get(3).endLsn().toString());
            assertThat(OutputFiles.status(status()).get("offset").asLong()).isEqualTo(Files.size(sink.currentFile()));
        }
    }

    /** Writes the batch and waits until it is durable, as the pipeline does at a stop. */
    private static void write(FileSink sink, io.pgflo.sink.api.Batch batch) {
        sink.writeBatch(batch);
        sink.flush();
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

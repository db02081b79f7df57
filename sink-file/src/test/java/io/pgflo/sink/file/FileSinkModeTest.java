package io.pgflo.sink.file;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The modes of what the file sink creates, on real files. The umask cannot be changed in-process, so these assert the
 * exact mode: a umask that let more through (0000) or took more away (0077) would show.
 */
class FileSinkModeTest {
    private static final String OWNER_FILE = "rw-------";
    private static final String OWNER_DIRECTORY = "rwx------";

    @TempDir
    Path temp;


    private Path out() {
        return temp.resolve("data/out");
    }

    private Path status() {
        return temp.resolve("state/status");
    }

    @Test
    void currentRotatedAndCheckpointFilesAre0600AndCreatedDirectories0700ByDefault() throws IOException {
        try (FileSink sink = new FileSink(FileSinkConfig.of(out(), status()).withMaxFileSize(300))) {
            deliverSeveralFiles(sink);
        }

        List<Path> files = OutputFiles.list(out());
        assertThat(files).hasSizeGreaterThan(2).allMatch(file -> file.getFileName().toString().endsWith(".jsonl"));
        for (Path file : files) {
            assertThat(mode(file)).as("%s", file.getFileName()).isEqualTo(OWNER_FILE);
        }
        assertThat(mode(status().resolve(FileSinkConfig.STATUS_FILE))).isEqualTo(OWNER_FILE);
        for (Path directory : List.of(temp.resolve("data"), out(), temp.resolve("state"), status())) {
            assertThat(mode(directory)).as("%s", directory).isEqualTo(OWNER_DIRECTORY);
        }
    }

    @Test
    void gzippedRotatedFilesAre0600ByDefault() throws IOException {
        try (FileSink sink = new FileSink(FileSinkConfig.of(out(), status()).withMaxFileSize(300).withCompress(true))) {
            deliverSeveralFiles(sink);
        }

        List<Path> gzipped = OutputFiles.list(out()).stream()
                .filter(file -> file.getFileName().toString().endsWith(".jsonl.gz")).toList();
        assertThat(gzipped).hasSizeGreaterThan(1);
        for (Path file : gzipped) {
            assertThat(mode(file)).as("%s", file.getFileName()).isEqualTo(OWNER_FILE);
        }
    }

    @Test
    void fileMode0640GivesGroupReadableFilesInDirectoriesTheGroupCanEnterButKeepsTheCheckpointPrivate() throws IOException {
        FileSinkConfig config = FileSinkConfig.of(out(), status()).withMaxFileSize(300).withCompress(true)
                .withFileMode(FileModeText.parse("--file-mode", "0640"));
        try (FileSink sink = new FileSink(config)) {
            deliverSeveralFiles(sink);
        }

        List<Path> files = OutputFiles.list(out());
        assertThat(files).hasSizeGreaterThan(2);
        for (Path file : files) {
            assertThat(mode(file)).as("%s", file.getFileName()).isEqualTo("rw-r-----");
        }
        assertThat(mode(temp.resolve("data"))).isEqualTo("rwxr-x---");
        assertThat(mode(out())).isEqualTo("rwxr-x---");
        assertThat(mode(status().resolve(FileSinkConfig.STATUS_FILE))).isEqualTo(OWNER_FILE);
        assertThat(mode(status())).isEqualTo(OWNER_DIRECTORY);
    }

    @Test
    void existingDirectoriesKeepTheirMode() throws IOException {
        Files.createDirectories(out());
        Files.createDirectories(status());
        for (Path directory : List.of(temp.resolve("data"), out(), temp.resolve("state"), status())) {
            Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwxr-xr-x"));
        }

        try (FileSink sink = new FileSink(FileSinkConfig.of(out(), status()))) {
            deliverSeveralFiles(sink);
        }

        for (Path directory : List.of(temp.resolve("data"), out(), temp.resolve("state"), status())) {
            assertThat(mode(directory)).as("%s", directory).isEqualTo("rwxr-xr-x");
        }
        assertThat(mode(OutputFiles.list(out()).get(0))).isEqualTo(OWNER_FILE);
    }

    @Test
    void aLeftOverWorldWritableGzipTemporaryIsReplacedNotReused() throws IOException {
        LogDirectory directory = LogDirectory.open(out(), FileSinkConfig.DEFAULT_FILE_MODE);
        LogFileName name = LogFileName.parseJsonl("pg_flo_log_20261124T120000.000000Z.jsonl").orElseThrow();
        Files.writeString(directory.resolve(name, LogFileName.Kind.JSONL), "{\"id\":1}\n");
        Path leftOver = Files.writeString(directory.resolve(name, LogFileName.Kind.GZ_TEMP), "half a gzip");
        Files.setPosixFilePermissions(leftOver, PosixFilePermissions.fromString("rw-rw-rw-"));

        RotatedFileCompressor.compress(directory, name);

        Path gzipped = directory.resolve(name, LogFileName.Kind.GZ);
        assertThat(mode(gzipped)).isEqualTo(OWNER_FILE);
        assertThat(OutputFiles.content(gzipped)).isEqualTo("{\"id\":1}\n");
        assertThat(leftOver).doesNotExist();
    }

    /** Enough small transactions to rotate a 300-byte file a few times. */
    private static void deliverSeveralFiles(FileSink sink) {
        TestTransactions source = new TestTransactions();
        for (int i = 0; i < 12; i++) {
            source.add(2);
        }
        source.deliver(sink, 4);
    }

    private static String mode(Path path) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    }
}

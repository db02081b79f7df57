package io.pgflo.json;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgflo.sink.api.Position;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The status file and the directories it creates are the owner's only. The umask cannot be changed in-process, so
 * these assert the exact mode: a umask that let more through (0000) or took more away (0077) would show.
 */
class JsonStatusFileModeTest {
    @TempDir
    Path directory;


    @Test
    void savedStatusFileIs0600() throws IOException {
        Path file = directory.resolve("sink.json");

        new JsonStatusFile(file).save(Position.parse("0/1"));

        assertThat(mode(file)).isEqualTo("rw-------");
    }

    @Test
    void everyDirectoryTheConstructorCreatesIs0700() throws IOException {
        Path file = directory.resolve("a/b/c/sink.json");

        new JsonStatusFile(file).save(Position.parse("0/1"));

        assertThat(mode(directory.resolve("a"))).isEqualTo("rwx------");
        assertThat(mode(directory.resolve("a/b"))).isEqualTo("rwx------");
        assertThat(mode(directory.resolve("a/b/c"))).isEqualTo("rwx------");
        assertThat(mode(file)).isEqualTo("rw-------");
    }

    @Test
    void anExistingDirectoryKeepsItsMode() throws IOException {
        Path shared = Files.createDirectory(directory.resolve("shared"));
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxr-xr-x"));

        new JsonStatusFile(shared.resolve("sink.json")).save(Position.parse("0/1"));

        assertThat(mode(shared)).isEqualTo("rwxr-xr-x");
        assertThat(mode(shared.resolve("sink.json"))).isEqualTo("rw-------");
    }

    @Test
    void aWorldReadableStatusFileBecomes0600AtTheNextSave() throws IOException {
        Path file = directory.resolve("sink.json");
        Files.writeString(file, "{\"lsn\":\"0/1\"}");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

        new JsonStatusFile(file).save(Position.parse("0/2"));

        assertThat(mode(file)).isEqualTo("rw-------");
        assertThat(new JsonStatusFile(file).load()).isEqualTo(Position.parse("0/2"));
    }

    @Test
    void aLeftOverWorldReadableTemporaryFileIsReplacedNotReused() throws IOException {
        Path file = directory.resolve("sink.json");
        Path leftOver = Files.writeString(directory.resolve("sink.json.tmp"), "half a checkpoint from a crash");
        Files.setPosixFilePermissions(leftOver, PosixFilePermissions.fromString("rw-rw-rw-"));

        new JsonStatusFile(file).save(Position.parse("0/3"));

        assertThat(mode(file)).isEqualTo("rw-------");
        assertThat(new JsonStatusFile(file).load()).isEqualTo(Position.parse("0/3"));
        try (Stream<Path> files = Files.list(directory)) {
            assertThat(files.map(p -> p.getFileName().toString()).toList()).containsExactly("sink.json");
        }
    }

    private static String mode(Path path) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    }
}

package io.pgflo.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgflo.sink.api.ConfigurationException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --status-dir} and {@code --spool-dir} on real directories. The umask cannot be changed in-process, so the
 * modes are asserted exactly: a umask that let more through (0000) or took more away (0077) would show.
 */
class WritableDirectoryTest {
    @TempDir
    Path temp;

    @Test
    void createsAMissingDirectoryAndItsParents0700() throws IOException {
        Path status = temp.resolve("var/pg_flo/status");

        assertThat(WritableDirectory.prepare("--status-dir", status)).isEqualTo(status.toAbsolutePath()).isDirectory();

        assertThat(mode(temp.resolve("var"))).isEqualTo("rwx------");
        assertThat(mode(temp.resolve("var/pg_flo"))).isEqualTo("rwx------");
        assertThat(mode(status)).isEqualTo("rwx------");
    }

    @Test
    void leavesAnExistingDirectoryAsItIs() throws IOException {
        Path spool = Files.createDirectory(temp.resolve("spool"));
        Files.setPosixFilePermissions(spool, PosixFilePermissions.fromString("rwxr-xr-x"));

        WritableDirectory.prepare("--spool-dir", spool);

        assertThat(mode(spool)).isEqualTo("rwxr-xr-x");
    }

    @Test
    void refusesAFileNamingTheFlagOnOneLine() throws IOException {
        Path file = Files.writeString(temp.resolve("spool"), "x");

        assertThatThrownBy(() -> WritableDirectory.prepare("--spool-dir", file))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageStartingWith("cannot create --spool-dir " + file.toAbsolutePath())
                .hasMessageNotContaining("\n");
    }


    private static String mode(Path path) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    }
}

package io.pgflo.sink.file;

import io.pgflo.json.FileModes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.beust.jcommander.JCommander;
import com.beust.jcommander.ParameterException;
import io.pgflo.sink.api.Lsn;
import io.pgflo.sink.api.Sink;
import io.pgflo.sink.api.SinkContext;
import io.pgflo.sink.api.SinkProvider;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The flags of {@code pg_flo stream file}, parsed by JCommander as the command line does, and the provider. */
class FileSinkOptionsTest {
    private static final Path STATUS = Path.of("/var/lib/pg_flo/status");

    @TempDir
    Path temp;

    private static FileSinkOptions parse(String... args) {
        FileSinkOptions options = new FileSinkOptions();
        JCommander.newBuilder().addObject(options).build().parse(args);
        return options;
    }

    @Test
    void defaultsTo100MiBOneHourAndNoCompression() {
        FileSinkConfig config = parse("--output-dir", "/data/out").toConfig(STATUS);

        assertThat(config.outputDir()).isEqualTo(Path.of("/data/out"));
        assertThat(config.statusDir()).isEqualTo(STATUS);
        assertThat(config.statusFile()).isEqualTo(STATUS.resolve("pg_flo_file_last_lsn.json"));
        assertThat(config.maxFileSize()).isEqualTo(100L * 1024 * 1024);
        assertThat(config.maxFileAge()).isEqualTo(Duration.ofHours(1));
        assertThat(config.compress()).isFalse();
        assertThat(config.fileMode()).isEqualTo(PosixFilePermissions.fromString("rw-------"));
    }

    @ParameterizedTest
    @CsvSource({
        "0600, rw-------",
        "600, rw-------",
        "0640, rw-r-----",
        "0644, rw-r--r--",
        "0660, rw-rw----",
        "0755, rwxr-xr-x",
        "0777, rwxrwxrwx",
    })
    void parsesAnOctalFileMode(String text, String permissions) {
        assertThat(parse("--output-dir", "o", "--file-mode", text).toConfig(STATUS).fileMode())
                .isEqualTo(PosixFilePermissions.fromString(permissions));
    }

    @ParameterizedTest
    @CsvSource({
        "0640, rwxr-x---",
        "0644, rwxr-xr-x",
        "0600, rwx------",
        "0660, rwxrwx---",
        "0604, rwx---r-x",
    })
    void directoriesForTheFilesGetExecuteWhereTheFilesAreReadable(String fileMode, String directoryMode) {
        assertThat(FileModes.directoryMode(FileModeText.parse("--file-mode", fileMode)))
                .isEqualTo(PosixFilePermissions.fromString(directoryMode));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "rw-r----- | 0640",
        "rw------- | 0600",
        "rwxrwxrwx | 0777",
    })
    void formatsAModeAsFourOctalDigits(String permissions, String octal) {
        assertThat(FileModeText.format(PosixFilePermissions.fromString(permissions))).isEqualTo(octal);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "abc   | must be an octal mode such as 0600, 0640 or 0644",
        "0x1A4 | must be an octal mode such as 0600, 0640 or 0644",
        "0648  | must be an octal mode such as 0600, 0640 or 0644",
        "-600  | must be an octal mode such as 0600, 0640 or 0644",
        "u=rw  | must be an octal mode such as 0600, 0640 or 0644",
        "''    | must be an octal mode such as 0600, 0640 or 0644",
        "1600  | must be between 0000 and 0777",
        "4755  | must be between 0000 and 0777",
        "10600 | must be between 0000 and 0777",
        "0400  | must let the owner read and write",
        "0200  | must let the owner read and write",
        "0044  | must let the owner read and write",
        "0000  | must let the owner read and write",
    })
    void rejectsABadFileModeWhileParsingNamingTheFlagAndWhatToFix(String text, String problem) {
        assertThatThrownBy(() -> parse("--output-dir", "o", "--file-mode", text))
                .isInstanceOf(ParameterException.class)
                .hasMessageStartingWith("--file-mode " + problem)
                .hasMessageEndingWith("got '" + text + "'")
                .hasMessageNotContaining("\n");
    }

    @Test
    void configRefusesAFileModeTheOwnerCannotReadAndWrite() {
        FileSinkConfig config = FileSinkConfig.of(temp, temp);
        assertThatThrownBy(() -> config.withFileMode(PosixFilePermissions.fromString("r--r--r--")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("file mode must let the owner read and write, got 0444");
    }

    @ParameterizedTest
    @CsvSource({
        "1048576, 1048576",
        "100MB, 104857600",
        "100mb, 104857600",
        "100 MiB, 104857600",
        "512KB, 524288",
        "64k, 65536",
        "1GB, 1073741824",
        "1.5G, 1610612736",
        "2TB, 2199023255552",
        "10B, 10",
    })
    void parsesSizesInBytesOrWithAUnitOfPowersOf1024(String text, long bytes) {
        assertThat(parse("--output-dir", "o", "--max-file-size", text).toConfig(STATUS).maxFileSize()).isEqualTo(bytes);
    }

    @ParameterizedTest
    @CsvSource({
        "3600, PT1H",
        "90s, PT1M30S",
        "30m, PT30M",
        "30min, PT30M",
        "1h, PT1H",
        "1H, PT1H",
        "1h30m, PT1H30M",
        "1d, PT24H",
        "500ms, PT0.5S",
        "PT2H, PT2H",
    })
    void parsesDurationsInSecondsOrWithAUnit(String text, String iso) {
        assertThat(parse("--output-dir", "o", "--max-file-age", text).toConfig(STATUS).maxFileAge())
                .isEqualTo(Duration.parse(iso));
    }

    @ParameterizedTest
    @ValueSource(strings = {"abc", "0", "-1", "10XB", "MB", "1.2.3MB", "99999999999TB", ""})
    void rejectsAMalformedSizeWhileParsingNamingTheFlag(String text) {
        assertThatThrownBy(() -> parse("--output-dir", "o", "--max-file-size", text))
                .isInstanceOf(ParameterException.class)
                .hasMessageStartingWith("--max-file-size must")
                .hasMessageContaining("'" + text + "'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"abc", "0", "0s", "-5", "1x", "h", "1h 30", "P", ""})
    void rejectsAMalformedDurationWhileParsingNamingTheFlag(String text) {
        assertThatThrownBy(() -> parse("--output-dir", "o", "--max-file-age", text))
                .isInstanceOf(ParameterException.class)
                .hasMessageStartingWith("--max-file-age must")
                .hasMessageContaining("'" + text + "'");
    }

    @Test
    void requiresTheOutputDir() {
        assertThatThrownBy(() -> parse("--compress"))
                .isInstanceOf(ParameterException.class)
                .hasMessageContaining("--output-dir");
        assertThatThrownBy(() -> new FileSinkOptions().toConfig(STATUS))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--output-dir is required");
    }

    @Test
    void compressIsASwitch() {
        assertThat(parse("--output-dir", "o", "--compress").toConfig(STATUS).compress()).isTrue();
    }

    @Test
    void theHelpShowsTheDefaultsAsWritten() {
        StringBuilder help = new StringBuilder();
        JCommander.newBuilder().addObject(new FileSinkOptions()).build().getUsageFormatter().usage(help);

        assertThat(help.toString()).contains("--max-file-size", "Default: 100MB", "--max-file-age", "Default: 1h",
                "--compress", "--output-dir", "--file-mode", "Default: 0600");
    }

    @Test
    void isFoundByServiceLoaderAsFileAndMakesAWorkingSink() {
        SinkProvider<?> found = ServiceLoader.load(SinkProvider.class).stream()
                .map(ServiceLoader.Provider::get)
                .filter(provider -> provider.name().equals("file"))
                .findFirst()
                .orElseThrow();
        assertThat(found).isInstanceOf(FileSinkProvider.class);
        FileSinkProvider provider = (FileSinkProvider) found;
        FileSinkOptions options = provider.newOptions();
        JCommander.newBuilder().addObject(options).build()
                .parse("--output-dir", temp.resolve("out").toString(), "--max-file-size", "1KB");
        SinkContext context = new SinkContext("g", temp.resolve("status"), List.of());

        try (Sink sink = provider.create(options, context)) {
            assertThat(sink).isInstanceOf(FileSink.class);
            assertThat(sink.lastCheckpoint()).isEqualTo(Lsn.ZERO);
        }
        assertThat(temp.resolve("status").resolve(FileSinkConfig.STATUS_FILE)).exists();
        assertThat(provider.capturesDdl(options)).isFalse();
    }

    @Test
    void configRejectsNonPositiveLimits() {
        FileSinkConfig config = FileSinkConfig.of(temp, temp);
        assertThatThrownBy(() -> config.withMaxFileSize(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> config.withMaxFileAge(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
    }
}

package io.pgflo.sink.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgflo.json.FileModes;
import io.pgflo.sink.api.Lsn;
import io.pgflo.sink.api.Position;
import io.pgflo.sink.api.Option;
import io.pgflo.sink.api.OptionKind;
import io.pgflo.sink.api.OptionValues;
import io.pgflo.sink.api.Sink;
import io.pgflo.sink.api.SinkContext;
import io.pgflo.sink.api.SinkProvider;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The options of {@code pg_flo stream file}, parsed through {@link OptionValues} as the host does, and the provider. */
class FileSinkOptionsTest {
    private static final Path STATUS = Path.of("/var/lib/pg_flo/status");
    private static final SinkContext CONTEXT = new SinkContext("g", STATUS, List.of());
    private static final FileSinkProvider PROVIDER = new FileSinkProvider();

    @TempDir
    Path temp;

    /** Name, value, name, value, ...: each option given once, as the host passes it. */
    private static OptionValues parse(String... namesAndValues) {
        Map<String, List<String>> given = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            given.put(namesAndValues[i], List.of(namesAndValues[i + 1]));
        }
        return OptionValues.parse(PROVIDER.options(), given);
    }

    private static FileSinkConfig config(String... namesAndValues) {
        return FileSinkOptions.toConfig(parse(namesAndValues), CONTEXT);
    }

    @Test
    void declaresItsOptionsInHelpOrderWithTheirKindsAndDefaults() {
        List<Option<?>> options = StreamSupport.stream(PROVIDER.options().spliterator(), false).toList();

        assertThat(options).extracting(Option::name)
                .containsExactly("output-dir", "max-file-size", "max-file-age", "compress", "file-mode");
        assertThat(options).extracting(Option::kind).containsExactly(OptionKind.PATH, OptionKind.BYTE_SIZE,
                OptionKind.DURATION, OptionKind.BOOLEAN, OptionKind.TEXT);
        assertThat(options).extracting(Option::environmentVariable).containsExactly("PGFLO_OUTPUT_DIR",
                "PGFLO_MAX_FILE_SIZE", "PGFLO_MAX_FILE_AGE", "PGFLO_COMPRESS", "PGFLO_FILE_MODE");
        assertThat(options).allSatisfy(option -> {
            assertThat(option.description()).isNotBlank();
            assertThat(option.secret()).isFalse();
            assertThat(option.repeatable()).isFalse();
        });
        assertThat(FileSinkOptions.OUTPUT_DIR.required()).isTrue();
        assertThat(FileSinkOptions.OUTPUT_DIR.defaultValue()).isEmpty();
        assertThat(options.subList(1, options.size())).noneMatch(Option::required);
    }

    @Test
    void theHelpShowsTheDefaultsAsWritten() {
        assertThat(parse("output-dir", "/data/out").describe()).containsExactly(
                Map.entry("output-dir", "/data/out"),
                Map.entry("max-file-size", "100MB"),
                Map.entry("max-file-age", "1h"),
                Map.entry("compress", "false"),
                Map.entry("file-mode", "0600"));
    }

    @Test
    void defaultsTo100MiBOneHourNoCompressionAndFilesOwnerOnly() {
        FileSinkConfig config = config("output-dir", "/data/out");

        assertThat(config.outputDir()).isEqualTo(Path.of("/data/out"));
        assertThat(config.statusDir()).isEqualTo(STATUS);
        assertThat(config.statusFile()).isEqualTo(STATUS.resolve("pg_flo_file_last_lsn.json"));
        assertThat(config.maxFileSize()).isEqualTo(100L * 1024 * 1024);
        assertThat(config.maxFileAge()).isEqualTo(Duration.ofHours(1));
        assertThat(config.compress()).isFalse();
        assertThat(config.fileMode()).isEqualTo(PosixFilePermissions.fromString("rw-------"));
    }

    @Test
    void everyFlagIsTaken() {
        FileSinkConfig config = config("output-dir", "/data/cdc", "max-file-size", "256MB", "max-file-age", "15m",
                "compress", "true", "file-mode", "0640");

        assertThat(config.outputDir()).isEqualTo(Path.of("/data/cdc"));
        assertThat(config.maxFileSize()).isEqualTo(256L * 1024 * 1024);
        assertThat(config.maxFileAge()).isEqualTo(Duration.ofMinutes(15));
        assertThat(config.compress()).isTrue();
        assertThat(config.fileMode()).isEqualTo(PosixFilePermissions.fromString("rw-r-----"));
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
        assertThat(config("output-dir", "o", "file-mode", text).fileMode())
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
        assertThat(FileModes.directoryMode(FileSinkOptions.FILE_MODE.parse(fileMode)))
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
        assertThat(FileSinkOptions.FILE_MODE.print(PosixFilePermissions.fromString(permissions))).isEqualTo(octal);
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
        assertThatThrownBy(() -> parse("output-dir", "o", "file-mode", text))
                .isInstanceOf(IllegalArgumentException.class)
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
        assertThat(config("output-dir", "o", "max-file-size", text).maxFileSize()).isEqualTo(bytes);
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
        assertThat(config("output-dir", "o", "max-file-age", text).maxFileAge()).isEqualTo(Duration.parse(iso));
    }

    @ParameterizedTest
    @ValueSource(strings = {"abc", "0", "-1", "10XB", "MB", "1.2.3MB", "99999999999TB", ""})
    void rejectsAMalformedSizeWhileParsingNamingTheFlag(String text) {
        assertThatThrownBy(() -> parse("output-dir", "o", "max-file-size", text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("--max-file-size must")
                .hasMessageContaining("'" + text + "'")
                .hasMessageNotContaining("\n");
    }

    @ParameterizedTest
    @ValueSource(strings = {"abc", "0", "0s", "-5", "1x", "h", "1h 30", "P", ""})
    void rejectsAMalformedDurationWhileParsingNamingTheFlag(String text) {
        assertThatThrownBy(() -> parse("output-dir", "o", "max-file-age", text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("--max-file-age must")
                .hasMessageContaining("'" + text + "'")
                .hasMessageNotContaining("\n");
    }

    @Test
    void rejectsABadSwitchValueAndAnEmptyOutputDirNamingTheFlag() {
        assertThatThrownBy(() -> parse("output-dir", "o", "compress", "maybe"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--compress must be true or false, got 'maybe'");
        assertThatThrownBy(() -> parse("output-dir", ""))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--output-dir must name a path, got an empty value");
    }

    @Test
    void requiresTheOutputDir() {
        assertThatThrownBy(() -> parse("compress", "true"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("missing required flag --output-dir (directory for the pg_flo_log_<UTC timestamp>.jsonl "
                        + "files; created when missing)");
        assertThatThrownBy(() -> OptionValues.defaults(PROVIDER.options()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("missing required flag --output-dir");
    }

    @Test
    void refusesAnOptionItDoesNotDeclare() {
        assertThatThrownBy(() -> parse("output-dir", "o", "max-file-count", "3"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown option --max-file-count");
    }

    @Test
    void compressIsASwitch() {
        assertThat(config("output-dir", "o", "compress", "true").compress()).isTrue();
        assertThat(config("output-dir", "o", "compress", "false").compress()).isFalse();
    }

    @Test
    void isFoundByServiceLoaderAsFileAndMakesAWorkingSink() {
        SinkProvider found = ServiceLoader.load(SinkProvider.class).stream()
                .map(ServiceLoader.Provider::get)
                .filter(provider -> provider.name().equals("file"))
                .findFirst()
                .orElseThrow();
        assertThat(found).isInstanceOf(FileSinkProvider.class);
        OptionValues options = OptionValues.parse(found.options(), Map.of(
                "output-dir", List.of(temp.resolve("out").toString()), "max-file-size", List.of("1KB")));
        SinkContext context = new SinkContext("g", temp.resolve("status"), List.of());

        try (Sink sink = found.create(options, context)) {
            assertThat(sink).isInstanceOf(FileSink.class);
            assertThat(sink.lastCheckpoint()).isEqualTo(Position.START);
        }
        assertThat(temp.resolve("out")).isDirectory();
        assertThat(temp.resolve("status").resolve(FileSinkConfig.STATUS_FILE)).exists();
        assertThat(found.capturesDdl(options)).isFalse();
        assertThat(found.acceptsProvisionalChanges(options)).isFalse();
    }

    @Test
    void configRejectsNonPositiveLimits() {
        FileSinkConfig config = FileSinkConfig.of(temp, temp);
        assertThatThrownBy(() -> config.withMaxFileSize(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> config.withMaxFileAge(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
    }
}

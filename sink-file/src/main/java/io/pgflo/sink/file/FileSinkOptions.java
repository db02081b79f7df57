package io.pgflo.sink.file;

import static java.util.Objects.requireNonNull;

import com.beust.jcommander.Parameter;
import java.nio.file.Path;
import java.time.Clock;

/**
 * The flags of {@code pg_flo stream file}, filled by the command line. Each flag can also come from the environment
 * ({@code PGFLO_OUTPUT_DIR}, {@code PGFLO_MAX_FILE_SIZE}, ...). Values are checked while the command line is parsed.
 */
public final class FileSinkOptions {
    @Parameter(names = "--output-dir", required = true,
            description = "directory for the pg_flo_log_<UTC timestamp>.jsonl files; created when missing")
    Path outputDir;

    @Parameter(names = "--max-file-size", converter = ByteSizeConverter.class,
            description = "rotate the current file at the first checkpoint at or past this size: bytes, or with a "
                    + "unit (KB, MB, GB; powers of 1024)")
    String maxFileSize = "100MB";

    @Parameter(names = "--max-file-age", converter = DurationConverter.class,
            description = "rotate the current file at the first checkpoint at or past this age: seconds, or with a "
                    + "unit (90s, 30m, 1h, 1d)")
    String maxFileAge = "1h";

    @Parameter(names = "--compress", description = "gzip rotated files to .jsonl.gz")
    boolean compress;

    @Parameter(names = "--file-mode", converter = FileModeConverter.class,
            description = "octal permissions of the files in --output-dir, such as 0640 to let the group read them; "
                    + "directories created for them get execute where this gives read (0640: 0750)")
    String fileMode = "0600";

    /** The output directory, or null when not set yet. */
    public Path outputDir() {
        return outputDir;
    }

    /**
     * The sink's configuration with these flags and the engine's status directory.
     *
     * @throws IllegalArgumentException naming the flag when a value is missing or malformed
     */
    public FileSinkConfig toConfig(Path statusDir) {
        requireNonNull(statusDir, "statusDir is null");
        if (outputDir == null) {
            throw new IllegalArgumentException("--output-dir is required: the directory for the JSON-lines files");
        }
        return new FileSinkConfig(outputDir, statusDir, ByteSizeText.parse("--max-file-size", maxFileSize),
                DurationText.parse("--max-file-age", maxFileAge), compress, FileModeText.parse("--file-mode", fileMode),
                Clock.systemUTC());
    }

    @Override
    public String toString() {
        return "--output-dir " + outputDir + " --max-file-size " + maxFileSize + " --max-file-age " + maxFileAge
                + (compress ? " --compress" : "") + " --file-mode " + fileMode;
    }
}

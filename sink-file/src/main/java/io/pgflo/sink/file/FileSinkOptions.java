package io.pgflo.sink.file;

import static java.util.Objects.requireNonNull;

import io.pgflo.sink.api.Option;
import io.pgflo.sink.api.OptionSet;
import io.pgflo.sink.api.OptionValues;
import io.pgflo.sink.api.SinkContext;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;

/**
 * The options of {@code pg_flo stream file}, declared as data: the host turns them into flags ({@code --output-dir}),
 * environment variables ({@code PGFLO_OUTPUT_DIR}, {@code PGFLO_MAX_FILE_SIZE}, ...) and help, and checks every value
 * before anything connects. {@link #toConfig} makes the sink's {@link FileSinkConfig} from the checked values.
 */
public final class FileSinkOptions {
    /** Where the files go; created when missing. */
    public static final Option<Path> OUTPUT_DIR = Option.path("output-dir").required()
            .description("directory for the pg_flo_log_<UTC timestamp>.jsonl files; created when missing")
            .build();

    /** The size at which the current file is rotated, in bytes; 100 MiB by default. */
    public static final Option<Long> MAX_FILE_SIZE = Option.byteSize("max-file-size")
            .defaultValue(FileSinkConfig.DEFAULT_MAX_FILE_SIZE)
            .description("rotate the current file at the first checkpoint at or past this size: bytes, or with a "
                    + "unit (KB, MB, GB; powers of 1024)")
            .build();

    /** The age at which the current file is rotated; one hour by default. */
    public static final Option<Duration> MAX_FILE_AGE = Option.duration("max-file-age")
            .defaultValue(FileSinkConfig.DEFAULT_MAX_FILE_AGE)
            .description("rotate the current file at the first checkpoint at or past this age: seconds, or with a "
                    + "unit (90s, 30m, 1h, 1d)")
            .build();

    /** Whether rotated files are gzipped; off by default. */
    public static final Option<Boolean> COMPRESS = Option.bool("compress")
            .description("gzip rotated files to .jsonl.gz")
            .build();

    /** The permissions of the files written, in octal; 0600 by default, and the owner must read and write. */
    public static final Option<Set<PosixFilePermission>> FILE_MODE = Option.<Set<PosixFilePermission>>of("file-mode",
                    text -> FileModeText.parse("--file-mode", text), FileModeText::format)
            .defaultValue(FileSinkConfig.DEFAULT_FILE_MODE)
            .description("octal permissions of the files in --output-dir, such as 0640 to let the group read them; "
                    + "directories created for them get execute where this gives read (0640: 0750)")
            .build();

    /** All of them, in the order the help lists them. */
    public static final OptionSet ALL = OptionSet.of(OUTPUT_DIR, MAX_FILE_SIZE, MAX_FILE_AGE, COMPRESS, FILE_MODE);

    private FileSinkOptions() {}

    /**
     * The sink's configuration with these values and the engine's status directory, on the system's UTC clock.
     *
     * @param values values checked against {@link #ALL}
     * @throws IllegalArgumentException when {@code values} are not of {@link #ALL}
     */
    public static FileSinkConfig toConfig(OptionValues values, SinkContext context) {
        requireNonNull(values, "values is null");
        requireNonNull(context, "context is null");
        return new FileSinkConfig(values.get(OUTPUT_DIR), context.statusDir(), values.get(MAX_FILE_SIZE),
                values.get(MAX_FILE_AGE), values.get(COMPRESS), values.get(FILE_MODE), Clock.systemUTC());
    }
}

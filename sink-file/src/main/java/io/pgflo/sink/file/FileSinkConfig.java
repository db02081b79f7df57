package io.pgflo.sink.file;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Clock;
import java.time.Duration;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

/**
 * What a {@link FileSink} writes where.
 *
 * @param outputDir where the {@code pg_flo_log_<UTC timestamp>.jsonl} files go; created when missing
 * @param statusDir where the checkpoint file {@value FileSinkConfig#STATUS_FILE} goes; created when missing
 * @param maxFileSize the current file is rotated at the first checkpoint at or past this many bytes
 * @param maxFileAge the current file is rotated at the first checkpoint at or past this age
 * @param compress whether rotated files are gzipped to {@code .jsonl.gz}
 * @param fileMode the permissions of the files written to {@code outputDir} (plain and gzipped); the directories
 *     created for them get execute wherever this gives read. The owner must have read and write. The checkpoint is
 *     always 0600 in a 0700 directory: it is the sink's alone
 * @param clock the time for file names and ages (tests pass their own)
 */
public record FileSinkConfig(
        Path outputDir,
        Path statusDir,
        long maxFileSize,
        Duration maxFileAge,
        boolean compress,
        Set<PosixFilePermission> fileMode,
        Clock clock) {

    /** The checkpoint file's name in {@link #statusDir()}. */
    public static final String STATUS_FILE = "pg_flo_file_last_lsn.json";
    /** 100 MiB, as pg_flo. */
    public static final long DEFAULT_MAX_FILE_SIZE = 100L * 1024 * 1024;
    /** One hour, as pg_flo. */
    public static final Duration DEFAULT_MAX_FILE_AGE = Duration.ofHours(1);
    /** 0600: change events are the database's rows, for the owner's eyes only unless widened. */
    public static final Set<PosixFilePermission> DEFAULT_FILE_MODE =
            Collections.unmodifiableSet(EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE));

    public FileSinkConfig {
        requireNonNull(outputDir, "outputDir is null");
        requireNonNull(statusDir, "statusDir is null");
        requireNonNull(maxFileAge, "maxFileAge is null");
        requireNonNull(fileMode, "fileMode is null");
        requireNonNull(clock, "clock is null");
        if (maxFileSize < 1) {
            throw new IllegalArgumentException("max file size must be at least 1 byte, got " + maxFileSize);
        }
        if (maxFileAge.isNegative() || maxFileAge.isZero()) {
            throw new IllegalArgumentException("max file age must be positive, got " + maxFileAge);
        }
        if (!fileMode.contains(PosixFilePermission.OWNER_READ) || !fileMode.contains(PosixFilePermission.OWNER_WRITE)) {
            // The sink reopens, truncates and compresses its own files on every start.
            throw new IllegalArgumentException("file mode must let the owner read and write, got "
                    + FileModeText.format(fileMode));
        }
        fileMode = Collections.unmodifiableSet(EnumSet.copyOf(fileMode));
    }

    /** The defaults: 100 MiB, one hour, no compression, files 0600, the system's UTC clock. */
    public static FileSinkConfig of(Path outputDir, Path statusDir) {
        return new FileSinkConfig(outputDir, statusDir, DEFAULT_MAX_FILE_SIZE, DEFAULT_MAX_FILE_AGE, false,
                DEFAULT_FILE_MODE, Clock.systemUTC());
    }

    public FileSinkConfig withMaxFileSize(long bytes) {
        return new FileSinkConfig(outputDir, statusDir, bytes, maxFileAge, compress, fileMode, clock);
    }

    public FileSinkConfig withMaxFileAge(Duration age) {
        return new FileSinkConfig(outputDir, statusDir, maxFileSize, age, compress, fileMode, clock);
    }

    public FileSinkConfig withCompress(boolean gzipRotatedFiles) {
        return new FileSinkConfig(outputDir, statusDir, maxFileSize, maxFileAge, gzipRotatedFiles, fileMode, clock);
    }

    public FileSinkConfig withFileMode(Set<PosixFilePermission> permissions) {
        return new FileSinkConfig(outputDir, statusDir, maxFileSize, maxFileAge, compress, permissions, clock);
    }

    public FileSinkConfig withClock(Clock newClock) {
        return new FileSinkConfig(outputDir, statusDir, maxFileSize, maxFileAge, compress, fileMode, newClock);
    }

    /** The checkpoint file. */
    public Path statusFile() {
        return statusDir.resolve(STATUS_FILE);
    }
}

package io.pgflo.sink.file;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

/**
 * What a {@link FileSink} writes where.
 *
 * @param outputDir where the {@code pg_flo_log_<UTC timestamp>.jsonl} files go; created when missing
 * @param statusDir where the checkpoint file {@value FileSinkConfig#STATUS_FILE} goes; created when missing
 * @param maxFileSize the current file is rotated at the first checkpoint at or past this many bytes
 * @param maxFileAge the current file is rotated at the first checkpoint at or past this age
 * @param compress whether rotated files are gzipped to {@code .jsonl.gz}
 * @param clock the time for file names and ages (tests pass their own)
 */
public record FileSinkConfig(
        Path outputDir, Path statusDir, long maxFileSize, Duration maxFileAge, boolean compress, Clock clock) {

    /** The checkpoint file's name in {@link #statusDir()}. */
    public static final String STATUS_FILE = "pg_flo_file_last_lsn.json";
    /** 100 MiB, as pg_flo. */
    public static final long DEFAULT_MAX_FILE_SIZE = 100L * 1024 * 1024;
    /** One hour, as pg_flo. */
    public static final Duration DEFAULT_MAX_FILE_AGE = Duration.ofHours(1);

    public FileSinkConfig {
        requireNonNull(outputDir, "outputDir is null");
        requireNonNull(statusDir, "statusDir is null");
        requireNonNull(maxFileAge, "maxFileAge is null");
        requireNonNull(clock, "clock is null");
        if (maxFileSize < 1) {
            throw new IllegalArgumentException("max file size must be at least 1 byte, got " + maxFileSize);
        }
        if (maxFileAge.isNegative() || maxFileAge.isZero()) {
            throw new IllegalArgumentException("max file age must be positive, got " + maxFileAge);
        }
    }

    /** The defaults: 100 MiB, one hour, no compression, the system's UTC clock. */
    public static FileSinkConfig of(Path outputDir, Path statusDir) {
        return new FileSinkConfig(outputDir, statusDir, DEFAULT_MAX_FILE_SIZE, DEFAULT_MAX_FILE_AGE, false, Clock.systemUTC());
    }

    public FileSinkConfig withMaxFileSize(long bytes) {
        return new FileSinkConfig(outputDir, statusDir, bytes, maxFileAge, compress, clock);
    }

    public FileSinkConfig withMaxFileAge(Duration age) {
        return new FileSinkConfig(outputDir, statusDir, maxFileSize, age, compress, clock);
    }

    public FileSinkConfig withCompress(boolean gzipRotatedFiles) {
        return new FileSinkConfig(outputDir, statusDir, maxFileSize, maxFileAge, gzipRotatedFiles, clock);
    }

    public FileSinkConfig withClock(Clock newClock) {
        return new FileSinkConfig(outputDir, statusDir, maxFileSize, maxFileAge, compress, newClock);
    }

    /** The checkpoint file. */
    public Path statusFile() {
        return statusDir.resolve(STATUS_FILE);
    }
}

package io.pgflo.sink.file;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The name of one log file, {@code pg_flo_log_20261124T120000.123456Z.jsonl}: the UTC instant it was started, to the
 * microsecond, in a fixed-width form, so that names sort by time. Its compressed form appends {@code .gz}, and the
 * compression in progress {@code .gz.tmp}.
 */
record LogFileName(Instant startedAt) implements Comparable<LogFileName> {
    static final String PREFIX = "pg_flo_log_";
    static final String JSONL = ".jsonl";
    static final String GZ = ".jsonl.gz";
    static final String GZ_TEMP = ".jsonl.gz.tmp";

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss.SSSSSS'Z'");
    private static final Pattern NAME = Pattern.compile(
            Pattern.quote(PREFIX) + "(\\d{8}T\\d{6}\\.\\d{6}Z)(\\.jsonl|\\.jsonl\\.gz|\\.jsonl\\.gz\\.tmp)");

    /** What a file in the output directory is. */
    enum Kind {
        /** The JSON lines, being written or complete. */
        JSONL(LogFileName.JSONL),
        /** A rotated file, compressed. */
        GZ(LogFileName.GZ),
        /** A compression that has not finished (yet, or ever: a crash). */
        GZ_TEMP(LogFileName.GZ_TEMP);

        private final String suffix;

        Kind(String suffix) {
            this.suffix = suffix;
        }
    }

    /** A file of the output directory that is one of ours. */
    record Entry(LogFileName name, Kind kind) {}

    LogFileName {
        requireNonNull(startedAt, "startedAt is null");
        startedAt = startedAt.truncatedTo(ChronoUnit.MICROS);
    }

    /** The name of a file started at {@code instant}, truncated to the microsecond. */
    static LogFileName at(Instant instant) {
        return new LogFileName(instant);
    }

    /** The name if {@code fileName} is one of ours, of any kind. */
    static Optional<Entry> parse(String fileName) {
        Matcher matcher = NAME.matcher(fileName);
        if (!matcher.matches()) {
            return Optional.empty();
        }
        Instant instant;
        try {
            instant = LocalDateTime.parse(matcher.group(1), STAMP).toInstant(ZoneOffset.UTC);
        } catch (RuntimeException e) {
            return Optional.empty();
        }
        Kind kind = switch (matcher.group(2)) {
            case JSONL -> Kind.JSONL;
            case GZ -> Kind.GZ;
            default -> Kind.GZ_TEMP;
        };
        return Optional.of(new Entry(new LogFileName(instant), kind));
    }

    /** The name if {@code fileName} is the uncompressed form of one of ours. */
    static Optional<LogFileName> parseJsonl(String fileName) {
        return parse(fileName).filter(entry -> entry.kind() == Kind.JSONL).map(Entry::name);
    }

    /** The next name after this one: one microsecond later. */
    LogFileName next() {
        return new LogFileName(startedAt.plus(1, ChronoUnit.MICROS));
    }

    String jsonl() {
        return fileName(Kind.JSONL);
    }

    String fileName(Kind kind) {
        return PREFIX + STAMP.format(startedAt.atOffset(ZoneOffset.UTC)) + kind.suffix;
    }

    @Override
    public int compareTo(LogFileName other) {
        return startedAt.compareTo(other.startedAt);
    }

    @Override
    public String toString() {
        return jsonl();
    }
}

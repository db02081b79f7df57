package io.pgflo.cli;

import java.util.Locale;

/** Byte counts for people, as {@code pg_size_pretty} writes them (powers of 1024): 232 B, 16.0 MB. */
final class ByteSize {
    private static final String[] UNITS = {"kB", "MB", "GB", "TB", "PB"};

    private ByteSize() {}

    static String human(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        double value = bytes;
        int unit = -1;
        while (value >= 1024 && unit < UNITS.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", value, UNITS[unit]);
    }
}

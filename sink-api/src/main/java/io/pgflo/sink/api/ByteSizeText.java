package io.pgflo.sink.api;

import java.math.BigDecimal;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A byte count as people write it: {@code 1048576}, {@code 512KB}, {@code 100MB}, {@code 1.5GB} (units of 1024). */
final class ByteSizeText {
    private static final Pattern SIZE = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([a-z]*)");

    private ByteSizeText() {}

    /**
     * The number of bytes {@code text} says, at least 1. Units, in any case: B, K/KB/KiB, M/MB/MiB, G/GB/GiB,
     * T/TB/TiB, all powers of 1024 as in PostgreSQL's own settings.
     *
     * @throws IllegalArgumentException naming {@code flag} and quoting the text
     */
    static long parse(String flag, String text) {
        if (text == null) {
            throw invalid(flag, null);
        }
        Matcher matcher = SIZE.matcher(text.trim().toLowerCase(Locale.ROOT));
        if (!matcher.matches()) {
            throw invalid(flag, text);
        }
        long unit = switch (matcher.group(2)) {
            case "", "b" -> 1L;
            case "k", "kb", "kib" -> 1L << 10;
            case "m", "mb", "mib" -> 1L << 20;
            case "g", "gb", "gib" -> 1L << 30;
            case "t", "tb", "tib" -> 1L << 40;
            default -> throw invalid(flag, text);
        };
        BigDecimal value;
        try {
            value = new BigDecimal(matcher.group(1)).multiply(BigDecimal.valueOf(unit));
        } catch (NumberFormatException e) {
            throw invalid(flag, text);
        }
        if (value.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
            throw new IllegalArgumentException(flag + " must be less than 8 EiB, got '" + text + "'");
        }
        long bytes = value.longValue();
        if (bytes < 1) {
            throw new IllegalArgumentException(flag + " must be at least 1 byte, got '" + text + "'");
        }
        return bytes;
    }

    /** The text {@link #parse} reads back as {@code bytes}: the largest unit that divides it, as in {@code 100MB}. */
    static String format(long bytes) {
        String[] units = {"TB", "GB", "MB", "KB"};
        for (int i = 0; i < units.length; i++) {
            long unit = 1L << (10 * (4 - i));
            if (bytes % unit == 0) {
                return bytes / unit + units[i];
            }
        }
        return Long.toString(bytes);
    }

    private static IllegalArgumentException invalid(String flag, String text) {
        return new IllegalArgumentException(flag + " must be a size such as 100MB, 512KB, 1GB or a number of bytes, got '"
                + text + "'");
    }
}

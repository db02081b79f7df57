package io.pgflo.json;

/**
 * Turns timestamp and timestamptz text (DateStyle ISO: {@code 2026-11-24 12:00:00.123+00}) into ISO-8601
 * ({@code 2026-11-24T12:00:00.123Z}), which every JSON consumer parses.
 *
 * <p>Text without an ISO-8601 equivalent stays as the server wrote it: {@code infinity}, {@code -infinity},
 * BC dates, years past 9999, and offsets with seconds (local mean time before 1900 when TimeZone is not UTC).
 */
final class PgTimestampText {

    private PgTimestampText() {}

    static String toIso(String text, boolean withZone) {
        int length = text.length();
        if (length < 19 || !hasDateTimeShape(text)) {
            return text;
        }
        int i = 19;
        if (i < length && text.charAt(i) == '.') {
            int fractionStart = ++i;
            while (i < length && isDigit(text.charAt(i))) {
                i++;
            }
            if (i == fractionStart) {
                return text;
            }
        }
        int localEnd = i;
        if (!withZone) {
            return localEnd == length ? local(text, localEnd, length).toString() : text;
        }
        if (localEnd + 3 > length) {
            return text;
        }
        char sign = text.charAt(localEnd);
        if ((sign != '+' && sign != '-') || !digits(text, localEnd + 1, 2)) {
            return text;
        }
        boolean zeroHours = text.charAt(localEnd + 1) == '0' && text.charAt(localEnd + 2) == '0';
        int rest = length - (localEnd + 3);
        if (rest == 0) {
            StringBuilder iso = local(text, localEnd, length + 3);
            return zeroHours
                    ? iso.append('Z').toString()
                    : iso.append(text, localEnd, localEnd + 3).append(":00").toString();
        }
        if (rest == 3 && text.charAt(localEnd + 3) == ':' && digits(text, localEnd + 4, 2)) {
            boolean zeroMinutes = text.charAt(localEnd + 4) == '0' && text.charAt(localEnd + 5) == '0';
            StringBuilder iso = local(text, localEnd, length);
            return zeroHours && zeroMinutes
                    ? iso.append('Z').toString()
                    : iso.append(text, localEnd, length).toString();
        }
        return text;
    }

    private static StringBuilder local(String text, int localEnd, int capacity) {
        return new StringBuilder(capacity).append(text, 0, 10).append('T').append(text, 11, localEnd);
    }

    /** {@code yyyy-mm-dd hh:mm:ss} at the start, with exactly four year digits. */
    private static boolean hasDateTimeShape(String text) {
        return digits(text, 0, 4) && text.charAt(4) == '-' && digits(text, 5, 2) && text.charAt(7) == '-'
                && digits(text, 8, 2) && text.charAt(10) == ' ' && digits(text, 11, 2) && text.charAt(13) == ':'
                && digits(text, 14, 2) && text.charAt(16) == ':' && digits(text, 17, 2);
    }

    private static boolean digits(String text, int from, int count) {
        if (from + count > text.length()) {
            return false;
        }
        for (int i = from; i < from + count; i++) {
            if (!isDigit(text.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}

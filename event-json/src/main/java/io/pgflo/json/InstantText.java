package io.pgflo.json;

import java.time.Instant;

/**
 * {@link Instant#toString()}'s exact text ({@code 2026-11-24T12:00:00.123456Z}: seconds always, the fraction in
 * groups of three digits as needed) written into a char array. Instant.toString goes through a DateTimeFormatter
 * and costs about as much as the rest of a small event's encoding together.
 */
final class InstantText {
    /** Instant.MAX is 37 characters. */
    static final int MAX_LENGTH = 40;

    private static final long SECONDS_PER_DAY = 86_400;
    /** 0001-01-01T00:00:00Z and 10000-01-01T00:00:00Z; outside, the text changes shape, so Instant formats it. */
    private static final long MIN_SECOND = -62_135_596_800L;
    private static final long END_SECOND = 253_402_300_800L;

    private InstantText() {}

    /** Writes the text at the start of {@code chars} (at least {@link #MAX_LENGTH} long) and returns its length. */
    static int write(Instant instant, char[] chars) {
        long seconds = instant.getEpochSecond();
        if (seconds < MIN_SECOND || seconds >= END_SECOND) {
            String text = instant.toString();
            text.getChars(0, text.length(), chars, 0);
            return text.length();
        }
        long epochDay = Math.floorDiv(seconds, SECONDS_PER_DAY);
        int secondOfDay = (int) Math.floorMod(seconds, SECONDS_PER_DAY);

        // Days to civil date: Howard Hinnant's algorithm, eras of 400 years starting on March 1st.
        long z = epochDay + 719_468;
        long era = Math.floorDiv(z, 146_097);
        long dayOfEra = z - era * 146_097;
        long yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365;
        long dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
        long shiftedMonth = (5 * dayOfYear + 2) / 153;
        int day = (int) (dayOfYear - (153 * shiftedMonth + 2) / 5 + 1);
        int month = (int) (shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9);
        int year = (int) (yearOfEra + era * 400 + (month <= 2 ? 1 : 0));

        digits(chars, 0, year, 4);
        chars[4] = '-';
        digits(chars, 5, month, 2);
        chars[7] = '-';
        digits(chars, 8, day, 2);
        chars[10] = 'T';
        digits(chars, 11, secondOfDay / 3600, 2);
        chars[13] = ':';
        digits(chars, 14, secondOfDay / 60 % 60, 2);
        chars[16] = ':';
        digits(chars, 17, secondOfDay % 60, 2);
        int length = 19;
        int nanos = instant.getNano();
        if (nanos != 0) {
            chars[length++] = '.';
            if (nanos % 1_000_000 == 0) {
                digits(chars, length, nanos / 1_000_000, 3);
                length += 3;
            } else if (nanos % 1_000 == 0) {
                digits(chars, length, nanos / 1_000, 6);
                length += 6;
            } else {
                digits(chars, length, nanos, 9);
                length += 9;
            }
        }
        chars[length++] = 'Z';
        return length;
    }

    private static void digits(char[] chars, int at, int value, int count) {
        for (int i = at + count - 1; i >= at; i--) {
            chars[i] = (char) ('0' + value % 10);
            value /= 10;
        }
    }
}

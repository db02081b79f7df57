package io.pgflo.sink.api;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A duration as people write it: {@code 3600} (seconds), {@code 90s}, {@code 30m}, {@code 1h}, {@code 1h30m},
 * {@code 1d}, {@code 500ms}, or ISO-8601 ({@code PT1H}).
 */
final class DurationText {
    private static final Pattern PART = Pattern.compile("(\\d+)\\s*(ms|sec|min|s|m|h|d)\\s*");
    private static final Pattern SECONDS = Pattern.compile("\\d+");

    private DurationText() {}

    /**
     * The positive duration {@code text} says.
     *
     * @throws IllegalArgumentException naming {@code flag} and quoting the text
     */
    static Duration parse(String flag, String text) {
        if (text == null || text.isBlank()) {
            throw invalid(flag, text);
        }
        String trimmed = text.trim().toLowerCase(Locale.ROOT);
        Duration duration;
        try {
            if (SECONDS.matcher(trimmed).matches()) {
                duration = Duration.ofSeconds(Long.parseLong(trimmed));
            } else if (trimmed.startsWith("p")) {
                duration = Duration.parse(trimmed.toUpperCase(Locale.ROOT));
            } else {
                duration = parseParts(flag, text, trimmed);
            }
        } catch (NumberFormatException | ArithmeticException | DateTimeParseException e) {
            throw invalid(flag, text);
        }
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException(flag + " must be longer than zero, got '" + text + "'");
        }
        return duration;
    }

    private static Duration parseParts(String flag, String text, String trimmed) {
        Matcher matcher = PART.matcher(trimmed);
        Duration total = Duration.ZERO;
        int end = 0;
        while (matcher.find() && matcher.start() == end) {
            long amount = Long.parseLong(matcher.group(1));
            Duration part = switch (matcher.group(2)) {
                case "ms" -> Duration.ofMillis(amount);
                case "s", "sec" -> Duration.ofSeconds(amount);
                case "m", "min" -> Duration.ofMinutes(amount);
                case "h" -> Duration.ofHours(amount);
                default -> Duration.ofDays(amount);
            };
            total = total.plus(part);
            end = matcher.end();
        }
        if (end == 0 || end != trimmed.length()) {
            throw invalid(flag, text);
        }
        return total;
    }

    /** The shortest text {@link #parse} reads back as {@code duration}: {@code 1h30m}, {@code 500ms}. */
    static String format(Duration duration) {
        if (duration.toMillisPart() != 0 || duration.isZero()) {
            return duration.toMillis() + "ms";
        }
        StringBuilder text = new StringBuilder();
        long days = duration.toDays();
        if (days > 0) {
            text.append(days).append('d');
        }
        if (duration.toHoursPart() > 0) {
            text.append(duration.toHoursPart()).append('h');
        }
        if (duration.toMinutesPart() > 0) {
            text.append(duration.toMinutesPart()).append('m');
        }
        if (duration.toSecondsPart() > 0) {
            text.append(duration.toSecondsPart()).append('s');
        }
        return text.toString();
    }

    private static IllegalArgumentException invalid(String flag, String text) {
        return new IllegalArgumentException(flag + " must be a duration such as 3600 (seconds), 90s, 30m, 1h or 1h30m, got '"
                + text + "'");
    }
}

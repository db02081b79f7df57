package io.pgflo.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a JVM's {@code -Xlog:gc} file says about its heap: the most heap in use when a collection started (the
 * peak occupancy, short of what was allocated after the last collection), the number of pauses and their total.
 */
record GcLog(long collections, Long peakHeapMb, long heapLimitMb, double pauseMillis) {
    private static final Pattern PAUSE = Pattern.compile(
            "(\\d+)([KMG])->(\\d+)([KMG])\\((\\d+)([KMG])\\)\\s+([\\d.]+)ms");

    static GcLog read(Path file) {
        long collections = 0;
        long peakKb = -1;
        long limitKb = 0;
        double pauses = 0;
        try {
            if (!Files.exists(file)) {
                return new GcLog(0, null, 0, 0);
            }
            for (String line : Files.readAllLines(file)) {
                Matcher matcher = PAUSE.matcher(line);
                if (matcher.find()) {
                    collections++;
                    peakKb = Math.max(peakKb, kilobytes(matcher.group(1), matcher.group(2)));
                    limitKb = Math.max(limitKb, kilobytes(matcher.group(5), matcher.group(6)));
                    pauses += Double.parseDouble(matcher.group(7));
                }
            }
        } catch (IOException e) {
            return new GcLog(0, null, 0, 0);
        }
        return new GcLog(collections, peakKb < 0 ? null : Math.round(peakKb / 1024.0), Math.round(limitKb / 1024.0), pauses);
    }

    private static long kilobytes(String number, String unit) {
        long value = Long.parseLong(number);
        return switch (unit) {
            case "G" -> value * 1024 * 1024;
            case "M" -> value * 1024;
            default -> value;
        };
    }
}

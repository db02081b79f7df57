package io.pgflo.cli;

import java.util.LinkedHashMap;
import java.util.Map;

/** What {@code --print-config} printed, by key: {@code value  # origin}, the comment lines left out. */
final class PrintedSettings {
    private PrintedSettings() {}

    static Map<String, String> byKey(String printed) {
        Map<String, String> lines = new LinkedHashMap<>();
        for (String line : printed.lines().toList()) {
            if (!line.startsWith("#")) {
                lines.put(line.substring(0, line.indexOf(':')), line.substring(line.indexOf(':') + 2));
            }
        }
        return lines;
    }
}

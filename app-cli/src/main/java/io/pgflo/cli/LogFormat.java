package io.pgflo.cli;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/** How log lines on stderr look: {@code text} for people (the default), {@code json} for log collectors. */
enum LogFormat {
    TEXT,
    JSON;

    static final String FLAG = "--log-format";
    static final List<String> NAMES = List.of("text", "json");

    static LogFormat parse(String value) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "text" -> TEXT;
            case "json" -> JSON;
            default -> throw new IllegalArgumentException(FLAG + " must be one of " + String.join(", ", NAMES)
                    + ", got '" + value + "'");
        };
    }

    /**
     * The format asked for, read before the command line is parsed so that the first line logged has it: the last
     * {@code --log-format} given, else {@code PGFLO_LOG_FORMAT}, else text. A value that is not a format counts as text
     * here; the parser then refuses it.
     */
    static LogFormat requested(String[] args, Map<String, String> environment) {
        String value = environment.get(EnvironmentDefaults.variableFor(FLAG));
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals(FLAG) && i + 1 < args.length) {
                value = args[i + 1];
            }
        }
        try {
            return value == null ? TEXT : parse(value);
        } catch (IllegalArgumentException e) {
            return TEXT;
        }
    }
}

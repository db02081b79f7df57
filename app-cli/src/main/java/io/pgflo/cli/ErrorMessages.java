package io.pgflo.cli;

import com.beust.jcommander.ParameterException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The one line pg_flo prints about an error: exception messages flattened, JCommander's reworded. */
final class ErrorMessages {
    private static final Pattern UNKNOWN_ARGUMENT = Pattern.compile("Was passed main parameter '(.*)' but no main parameter");
    private static final Pattern MISSING_FLAGS = Pattern.compile("The following options? (?:is|are) required: (.*)");
    private static final String UNKNOWN_COMMAND = "Expected a command, got ";

    private ErrorMessages() {}

    /** {@code message} on one line: stderr carries one line per error, and log lines stay whole. */
    static String oneLine(String message) {
        if (message == null) {
            return "unknown error";
        }
        return message.replaceAll("\\s*\\R\\s*", " ").trim();
    }

    /** The outermost message, else the first one down the causes, else the exception's class name. */
    static String rootMessage(Throwable e) {
        Throwable current = e;
        String message = e.getMessage();
        while (current.getCause() != null && current.getCause() != current) {
            current = current.getCause();
            if (message == null) {
                message = current.getMessage();
            }
        }
        return message == null ? e.getClass().getSimpleName() : message;
    }

    /** JCommander's messages, reworded where they talk about its internals rather than the user's input. */
    static String describe(ParameterException e) {
        String message = oneLine(e.getMessage());
        Matcher unknown = UNKNOWN_ARGUMENT.matcher(message);
        if (unknown.find()) {
            String argument = unknown.group(1);
            return argument.startsWith("-") ? "unknown flag '" + argument + "'" : "unexpected argument '" + argument + "'";
        }
        if (message.startsWith(UNKNOWN_COMMAND)) {
            return "unknown command or sink '" + message.substring(UNKNOWN_COMMAND.length()) + "'";
        }
        Matcher required = MISSING_FLAGS.matcher(message);
        if (required.find()) {
            String flags = required.group(1).replaceAll("[\\[\\]]", "");
            return "missing required flag" + (flags.contains(",") ? "s " : " ") + flags;
        }
        return message;
    }
}

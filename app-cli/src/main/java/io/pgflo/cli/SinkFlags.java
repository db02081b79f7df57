package io.pgflo.cli;

import io.pgflo.sink.api.Option;
import io.pgflo.sink.api.OptionKind;
import io.pgflo.sink.api.OptionSet;
import io.pgflo.sink.api.OptionValues;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Takes a sink's own flags out of a {@code pg_flo stream <sink>} command line, by the sink's declarations, and leaves
 * the rest (source and engine flags) for JCommander. Values come from the flags, then from {@code PGFLO_<NAME>}
 * environment variables, then from the config file; {@link OptionValues} checks them.
 */
final class SinkFlags {
    private static final Set<String> BOOLEAN_WORDS = Set.of("true", "false", "yes", "no", "on", "off");

    /** The sink's values, and the arguments that are not the sink's. */
    record Split(OptionValues values, String[] rest) {}

    private SinkFlags() {}

    /**
     * @param args the whole command line
     * @param from where the sink's flags may start: after {@code stream <sink>}
     * @param fromFile the config file's values by option name
     * @throws IllegalArgumentException with one line when a sink flag lacks its value or a value does not parse
     */
    static Split split(String[] args, int from, OptionSet declared, Map<String, String> environment,
            Map<String, List<String>> fromFile) {
        Map<String, List<String>> given = new LinkedHashMap<>();
        List<String> rest = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            Option<?> option = i >= from && arg.startsWith("--") ? declared.find(name(arg)).orElse(null) : null;
            if (option == null) {
                rest.add(arg);
                continue;
            }
            String value;
            int equals = arg.indexOf('=');
            if (equals > 0) {
                value = arg.substring(equals + 1);
            } else if (option.kind() == OptionKind.BOOLEAN) {
                boolean worded = i + 1 < args.length && BOOLEAN_WORDS.contains(args[i + 1].toLowerCase(Locale.ROOT));
                value = worded ? args[++i] : "true";
            } else if (i + 1 < args.length) {
                value = args[++i];
            } else {
                throw new IllegalArgumentException(option.flag() + " needs a value");
            }
            given.computeIfAbsent(option.name(), key -> new ArrayList<>()).add(value);
        }
        for (Option<?> option : declared) {
            String fromEnvironment = environment.get(option.environmentVariable());
            if (!given.containsKey(option.name()) && fromEnvironment != null) {
                given.put(option.name(), List.of(fromEnvironment));
            } else if (!given.containsKey(option.name()) && fromFile.containsKey(option.name())) {
                given.put(option.name(), fromFile.get(option.name()));
            }
        }
        return new Split(OptionValues.parse(declared, given), rest.toArray(String[]::new));
    }

    private static String name(String arg) {
        int equals = arg.indexOf('=');
        return arg.substring(2, equals > 0 ? equals : arg.length());
    }
}

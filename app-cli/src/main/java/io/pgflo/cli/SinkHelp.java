package io.pgflo.cli;

import io.pgflo.sink.api.Option;
import io.pgflo.sink.api.SinkProvider;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/**
 * {@code pg_flo stream <sink> --help}: the sink's own flags first, from its declarations, then the source's, then the
 * engine's, each with what it takes, its default and its environment variable.
 */
final class SinkHelp {
    /** The flags that say where the changes come from; the other common flags tune the engine. */
    private static final Set<String> SOURCE_FLAGS = Set.of("--host", "--port", "--dbname", "--user", "--password",
            "--group", "--tables", "--schema", "--sslmode", "--sslrootcert");

    private SinkHelp() {}

    static void print(SinkProvider provider, PrintStream out) {
        out.println("Usage: pg_flo stream " + provider.name() + " [flags]");
        out.println(provider.description());
        List<String[]> sink = new ArrayList<>();
        for (Option<?> option : provider.options()) {
            sink.add(new String[] {option.flag() + " <" + placeholder(option) + ">", describe(option)});
        }
        List<String[]> source = new ArrayList<>();
        List<String[]> engine = new ArrayList<>();
        List<CommonFlags.Flag> flags = new ArrayList<>(CommonFlags.all());
        flags.sort(Comparator.comparing(CommonFlags.Flag::longestName));
        for (CommonFlags.Flag flag : flags) {
            if (flag.help() || flag.names().stream().anyMatch(name -> provider.options().find(name.substring(2))
                    .filter(CommonFlags::overridable).isPresent())) {
                continue; // the sink's own declaration, listed with its flags
            }
            String name = flag.longestName();
            Object initial = flag.defaultValue();
            String text = flag.description()
                    + (flag.required() ? " (required)" : "")
                    + (initial == null || initial.toString().isEmpty() || initial instanceof Collection<?> empty
                            && empty.isEmpty() || name.equals("--password") ? ""
                            : " (default " + initial + ")")
                    + " [" + EnvironmentDefaults.variableFor(name) + "]";
            (SOURCE_FLAGS.contains(name) ? source : engine).add(new String[] {name, text});
        }
        int width = 0;
        for (List<String[]> rows : List.of(sink, source, engine)) {
            for (String[] row : rows) {
                width = Math.max(width, row[0].length());
            }
        }
        section(out, provider.name() + " flags:", sink, width);
        section(out, "Source flags:", source, width);
        section(out, "Engine flags:", engine, width);
        out.println("Every flag can also be set by its environment variable, shown in brackets.");
    }

    private static String placeholder(Option<?> option) {
        return option.allowedValues().isEmpty() ? option.kind().placeholder() : String.join("|", option.allowedValues());
    }

    private static <T> String describe(Option<T> option) {
        StringBuilder text = new StringBuilder(option.description());
        if (option.required()) {
            text.append(" (required)");
        }
        option.defaultValue().filter(value -> !option.secret())
                .ifPresent(value -> text.append(" (default ").append(option.print(value)).append(')'));
        if (option.repeatable()) {
            text.append(" (may be given more than once)");
        }
        return text.append(" [").append(option.environmentVariable()).append(']').toString();
    }

    private static void section(PrintStream out, String title, List<String[]> rows, int width) {
        if (rows.isEmpty()) {
            return;
        }
        out.println();
        out.println(title);
        for (String[] row : rows) {
            out.printf("  %-" + width + "s  %s%n", row[0], row[1]);
        }
    }
}

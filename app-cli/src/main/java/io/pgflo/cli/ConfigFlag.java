package io.pgflo.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code --config FILE} ({@code PGFLO_CONFIG}), found before the command line is parsed: the file supplies the
 * defaults the parser then applies.
 */
final class ConfigFlag {
    static final String NAME = "--config";
    static final String DESCRIPTION = "YAML file of settings by flag name (host: ..., tables: [...]); flags and "
            + "PGFLO_* variables override it";

    private ConfigFlag() {}

    /** The commands that take a config file. */
    private static final Set<String> COMMANDS = Set.of("stream", "worker", "backfill", "status", "drop");

    /** The file pg_flo reads when none is named, in the home directory, as pg_flo does. */
    static final String HOME_FILE = ".pg_flo.yaml";

    /**
     * The config file named by the last {@code --config}, else by {@code PGFLO_CONFIG}, else {@code ~/.pg_flo.yaml}
     * when it exists (pg_flo's default); empty when none, for a command that takes none ({@code sinks},
     * {@code demo}), and for help, which a broken file must not stand in the way of.
     */
    static Optional<Path> requested(String command, String[] args, Map<String, String> environment) {
        List<String> given = List.of(args);
        if (!COMMANDS.contains(command) || given.contains("--help") || given.contains("-h")) {
            return Optional.empty();
        }
        String value = environment.get(EnvironmentDefaults.variableFor(NAME));
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals(NAME) && i + 1 < args.length) {
                value = args[i + 1];
            }
        }
        if (value != null && !value.isEmpty()) {
            return Optional.of(Path.of(value));
        }
        String home = environment.get("HOME");
        return home == null || home.isEmpty() ? Optional.empty()
                : Optional.of(Path.of(home, HOME_FILE)).filter(Files::isRegularFile);
    }
}

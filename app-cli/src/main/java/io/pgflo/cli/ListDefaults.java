package io.pgflo.cli;

import com.beust.jcommander.JCommander;
import com.beust.jcommander.ParameterDescription;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Sets list flags ({@code --tables}) that the command line did not give to their value from the environment or the
 * config file, once. JCommander adds a default provider's value to a list at each of its passes over a subcommand's
 * defaults, so {@code PGFLO_TABLES=users} would otherwise read as {@code users,users,users}.
 */
final class ListDefaults {
    private ListDefaults() {}

    static void repair(JCommander commander, Map<String, String> settings, String[] args) {
        for (ParameterDescription parameter : commander.getParameters()) {
            if (!Collection.class.isAssignableFrom(parameter.getParameterized().getType())) {
                continue;
            }
            List<String> names = List.of(parameter.getParameter().names());
            if (names.stream().anyMatch(name -> List.of(args).contains(name))) {
                continue;
            }
            for (String name : names) {
                String value = settings.get(EnvironmentDefaults.variableFor(name));
                if (value != null) {
                    List<String> values = new ArrayList<>();
                    for (String part : value.split(",")) {
                        if (!part.isBlank()) {
                            values.add(part.strip());
                        }
                    }
                    parameter.getParameterized().set(parameter.getObject(), values);
                    break;
                }
            }
        }
        String parsed = commander.getParsedCommand();
        if (parsed != null) {
            repair(commander.getCommands().get(parsed), settings, args);
        }
    }
}

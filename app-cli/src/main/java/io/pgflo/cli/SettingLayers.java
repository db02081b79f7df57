package io.pgflo.cli;

import io.pgflo.sink.api.Option;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Where a flag's value comes from when the command line does not give it: a {@code PGFLO_<FLAG>} environment variable,
 * else the config file, else the flag's default. The flags read one map ({@link #lookup()}) in which the file's
 * settings sit under the variables' names and the real environment over them.
 */
final class SettingLayers {
    /** Commands that act on a group's source and take only its connection, group and log settings from a file. */
    private static final Set<String> GROUP_COMMANDS = Set.of("backfill", "status", "drop");

    private final Map<String, String> environment;
    private final Map<String, ConfigKeys.Setting> file;

    SettingLayers(Map<String, String> environment, Map<String, ConfigKeys.Setting> file) {
        this.environment = Map.copyOf(environment);
        this.file = new LinkedHashMap<>(file);
    }

    /**
     * What is needed before the file can be checked: the environment over the file's {@code log-format} and
     * {@code plugins-dir}, which decide how the first lines look and which sinks exist.
     */
    static Map<String, String> early(Map<String, String> environment, ConfigFile file) {
        Map<String, String> merged = new HashMap<>();
        if (file != null) {
            for (String flag : List.of("log-format", "plugins-dir")) {
                ConfigFile.Entry entry = file.entries().get(flag);
                if (entry != null && entry.value().isValueNode() && !entry.value().isNull()) {
                    merged.put(Option.environmentVariable(flag), entry.value().asText());
                }
            }
        }
        merged.putAll(environment);
        return merged;
    }

    /**
     * The layers for {@code command}: the environment over {@code file} (none when null) checked against {@code keys}.
     * {@code backfill}, {@code status} and {@code drop} take the stream's source, group, checkpoints and logging from
     * the file, never what they act on: a file's tables must not turn into the tables a backfill reads again.
     *
     * @throws ConfigFileException when the file does not pass {@link ConfigKeys#check}
     */
    static SettingLayers of(Map<String, String> environment, ConfigFile file, String command, ConfigKeys keys) {
        if (file == null) {
            return new SettingLayers(environment, Map.of());
        }
        Map<String, ConfigKeys.Setting> settings = keys.check(file);
        if (GROUP_COMMANDS.contains(command)) {
            Set<String> taken = new HashSet<>(ConfigKeys.flagsOf(GroupSourceFlags.class, LogFlags.class));
            taken.add("status-dir");
            settings.keySet().retainAll(taken);
        }
        return new SettingLayers(environment, settings);
    }

    /** The environment as flags read it: the file's settings as {@code PGFLO_<FLAG>} values, the real ones over them. */
    Map<String, String> lookup() {
        Map<String, String> merged = new HashMap<>();
        for (ConfigKeys.Setting setting : file.values()) {
            merged.put(Option.environmentVariable(setting.flag()), setting.text());
        }
        merged.putAll(environment);
        return merged;
    }

    /** The real environment, without the file. */
    Map<String, String> environment() {
        return environment;
    }

    /** The file's values by flag name (a list's values one by one), for a sink's options. */
    Map<String, List<String>> fileValues() {
        Map<String, List<String>> values = new LinkedHashMap<>();
        file.forEach((flag, setting) -> values.put(flag, setting.values()));
        return values;
    }

    /** Where {@code flag}'s value came from, given the command line {@code args}. */
    String originOf(String flag, List<String> names, String[] args) {
        for (String arg : args) {
            for (String name : names) {
                if (arg.equals(name) || arg.startsWith(name + "=")) {
                    return "flag";
                }
            }
        }
        String variable = Option.environmentVariable(flag);
        if (environment.containsKey(variable)) {
            return "env " + variable;
        }
        ConfigKeys.Setting setting = file.get(flag);
        return setting != null ? "file " + setting.at() : "default";
    }

    /**
     * {@code message}, a parser's complaint about a flag, with the file's line in front when that flag's value came from
     * the file (and neither the command line nor the environment gave it).
     */
    String locate(String message, String[] args) {
        for (ConfigKeys.Setting setting : file.values()) {
            String flag = "--" + setting.flag();
            if (Pattern.compile(Pattern.quote(flag) + "(?![a-z0-9-])").matcher(message).find()
                    && originOf(setting.flag(), List.of(flag), args).startsWith("file")) {
                return setting.at() + ": " + message;
            }
        }
        return message;
    }
}

package io.pgflo.cli;

import com.beust.jcommander.JCommander;
import com.beust.jcommander.Parameter;
import com.beust.jcommander.ParameterDescription;
import com.fasterxml.jackson.databind.JsonNode;
import io.pgflo.nats.NatsOptions;
import io.pgflo.sink.api.Option;
import io.pgflo.sink.api.OptionKind;
import io.pgflo.sink.api.OptionSet;
import io.pgflo.sink.api.SinkProvider;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The keys a config file may hold, and the check of a file against them: every long flag of every command and every
 * sink's option, by its name without dashes, plus pg_flo's own spellings. One file serves every command, so a key that
 * another command or sink takes is accepted and left to it; a key nothing takes is an error, as is a value of the
 * wrong shape.
 */
final class ConfigKeys {
    private static final Logger log = LoggerFactory.getLogger("pg_flo");

    /** What a key's value must look like. */
    enum Shape { TEXT, WHOLE_NUMBER, BOOLEAN, LIST }

    /**
     * A checked setting: the flag it sets (our spelling), its values as text (several only for a list), and where.
     */
    record Setting(String flag, List<String> values, ConfigLocation at) {
        /** The values as one flag value: a list comma-separated, as {@code --tables a,b} takes it. */
        String text() {
            return String.join(",", values);
        }
    }

    /** pg_flo's spelling of a key, where ours differs. */
    static final Map<String, String> PG_FLO_SPELLINGS = Map.of(
            "file-output-dir", "output-dir",
            "target-sync-schema", "sync-schema");

    /** pg_flo keys that have nothing to set here, and why; read and left aside so that pg_flo's files load unchanged. */
    static final Map<String, String> PG_FLO_ONLY = new TreeMap<>(Map.of(
            "stream", "streaming is what 'pg_flo stream' does",
            "target-disable-foreign-keys", "the PostgreSQL sink applies with session_replication_role = replica "
                    + "wherever the target user may set it"));

    /** Keys whose value is a section another loader reads: kept as trees ({@link ConfigFile#section}). */
    static final List<String> SECTIONS = List.of("rules", "routing");

    /** Flags that only make sense on the command line. */
    private static final Set<String> COMMAND_LINE_ONLY = Set.of("config", "print-config", "help", "version");

    private final Map<String, Shape> shapes;
    private final Map<String, Option<?>> sinkOptions;

    private ConfigKeys(Map<String, Shape> shapes, Map<String, Option<?>> sinkOptions) {
        this.shapes = shapes;
        this.sinkOptions = sinkOptions;
    }

    /**
     * The keys of every command of {@code commander} (and their subcommands), of {@code pg_flo worker} (its flags and
     * the NATS ones: one file may serve a replicator and its workers), and of every sink's options.
     */
    static ConfigKeys of(JCommander commander, Collection<SinkProvider> sinks) {
        Map<String, Shape> shapes = new LinkedHashMap<>();
        addFlags(commander, shapes);
        addFlags(JCommander.newBuilder().addCommand("worker", new WorkerFlags()).build(), shapes);
        List<OptionSet> declared = new ArrayList<>();
        sinks.forEach(sink -> declared.add(sink.options()));
        declared.add(NatsOptions.worker());
        Map<String, Option<?>> options = new LinkedHashMap<>();
        for (OptionSet set : declared) {
            for (Option<?> option : set) {
                if (options.putIfAbsent(option.name(), option) == null) {
                    shapes.putIfAbsent(option.name(), shapeOf(option));
                }
            }
        }
        for (String name : COMMAND_LINE_ONLY) {
            shapes.remove(name);
        }
        return new ConfigKeys(shapes, options);
    }

    private static void addFlags(JCommander commander, Map<String, Shape> shapes) {
        for (ParameterDescription parameter : commander.getParameters()) {
            Shape shape = shapeOf(parameter.getParameterized().getType());
            for (String name : parameter.getParameter().names()) {
                if (name.startsWith("--")) {
                    shapes.putIfAbsent(name.substring(2), shape);
                }
            }
        }
        for (JCommander command : commander.getCommands().values()) {
            addFlags(command, shapes);
        }
    }

    private static Shape shapeOf(Class<?> type) {
        if (type == int.class || type == long.class || type == Integer.class || type == Long.class) {
            return Shape.WHOLE_NUMBER;
        }
        if (type == boolean.class || type == Boolean.class) {
            return Shape.BOOLEAN;
        }
        return Collection.class.isAssignableFrom(type) ? Shape.LIST : Shape.TEXT;
    }

    private static Shape shapeOf(Option<?> option) {
        if (option.repeatable()) {
            return Shape.LIST;
        }
        return option.kind() == OptionKind.BOOLEAN ? Shape.BOOLEAN
                : option.kind() == OptionKind.WHOLE_NUMBER ? Shape.WHOLE_NUMBER : Shape.TEXT;
    }

    /** The long flags, without dashes, that the fields of {@code types} declare. */
    static Set<String> flagsOf(Class<?>... types) {
        Set<String> flags = new HashSet<>();
        for (Class<?> type : types) {
            for (Field field : type.getDeclaredFields()) {
                Parameter parameter = field.getAnnotation(Parameter.class);
                if (parameter != null) {
                    for (String name : parameter.names()) {
                        if (name.startsWith("--")) {
                            flags.add(name.substring(2));
                        }
                    }
                }
            }
        }
        return flags;
    }

    /** Whether a key by this name (our spelling) exists. */
    boolean knows(String flag) {
        return shapes.containsKey(flag);
    }

    /**
     * The file's settings by flag name, checked: every key known, every value of the shape its flag takes (a sink
     * option's value also parsed by its declaration). Sections ({@code rules:}, {@code routing:}) are checked to be
     * sections and left in the file.
     *
     * @throws ConfigFileException at the first problem, naming the file, line and column
     */
    Map<String, Setting> check(ConfigFile file) {
        Map<String, Setting> settings = new LinkedHashMap<>();
        for (ConfigFile.Entry entry : file.entries().values()) {
            String key = entry.key();
            if (COMMAND_LINE_ONLY.contains(key)) {
                throw new ConfigFileException(entry.keyAt(), "'" + key + "' is given on the command line only; remove "
                        + "it from the file");
            }
            if (!knows(key) && PG_FLO_ONLY.containsKey(key)) {
                log.warn("{}: '{}' is ignored: {}", entry.keyAt(), key, PG_FLO_ONLY.get(key));
                continue;
            }
            if (!knows(key) && SECTIONS.contains(key)) {
                if (!entry.value().isContainerNode()) {
                    throw new ConfigFileException(entry.valueAt(), "'" + key + "' holds the " + key + " themselves, "
                            + "as a mapping (as in a " + key + " file); to name a file, use '" + key + "-config'");
                }
                continue;
            }
            String flag = knows(key) ? key : PG_FLO_SPELLINGS.getOrDefault(key, key);
            Shape shape = shapes.get(flag);
            if (shape == null) {
                throw new ConfigFileException(entry.keyAt(), "unknown key '" + key + "'" + suggestion(key)
                        + "; keys are the long flag names without '--' (see pg_flo stream <sink> --help)");
            }
            Setting earlier = settings.get(flag);
            if (earlier != null) {
                throw new ConfigFileException(entry.keyAt(), "'" + key + "' sets " + flag + ", which line "
                        + earlier.at().line() + " sets already; keep one");
            }
            if (entry.value().isNull() || entry.value().isTextual() && entry.value().asText().isEmpty()) {
                // 'key:', '~' or "": not set, as pg_flo's own example file writes the flags it leaves out
                continue;
            }
            List<String> values = values(file, entry, flag, shape);
            Option<?> option = sinkOptions.get(flag);
            if (option != null) {
                for (String value : values) {
                    try {
                        option.parse(value);
                    } catch (IllegalArgumentException e) {
                        throw new ConfigFileException(entry.valueAt(), ErrorMessages.oneLine(e.getMessage()));
                    }
                }
            }
            settings.put(flag, new Setting(flag, values, entry.valueAt()));
        }
        return settings;
    }

    private static List<String> values(ConfigFile file, ConfigFile.Entry entry, String flag, Shape shape) {
        JsonNode value = entry.value();
        String key = entry.key();
        if (value.isArray()) {
            if (shape != Shape.LIST) {
                throw new ConfigFileException(entry.valueAt(), "'" + key + "' takes one value, not a list");
            }
            List<String> values = new ArrayList<>();
            for (int i = 0; i < value.size(); i++) {
                JsonNode element = value.get(i);
                if (!element.isValueNode() || element.isNull()) {
                    ConfigLocation at = file.locate("/" + key + "/" + i).orElse(entry.valueAt());
                    throw new ConfigFileException(at, "'" + key + "' takes a list of values, such as [a, b]; this "
                            + "element is " + (element.isNull() ? "empty" : "not a plain value"));
                }
                values.add(element.asText());
            }
            return values;
        }
        if (value.isObject()) {
            throw new ConfigFileException(entry.valueAt(), "'" + key + "' takes " + (shape == Shape.LIST
                    ? "a list or a comma-separated value" : "one value") + ", not a mapping");
        }
        String text = value.asText();
        switch (shape) {
            case WHOLE_NUMBER -> {
                if (!value.isIntegralNumber() && !(value.isTextual() && text.strip().matches("-?[0-9]+"))) {
                    throw new ConfigFileException(entry.valueAt(), "'" + key + "' takes a whole number, got '" + text
                            + "'");
                }
            }
            case BOOLEAN -> {
                if (!value.isBoolean()) {
                    String word = text.strip().toLowerCase(Locale.ROOT);
                    if (!Set.of("true", "false", "yes", "no", "on", "off").contains(word)) {
                        throw new ConfigFileException(entry.valueAt(), "'" + key + "' takes true or false, got '"
                                + text + "'");
                    }
                    text = String.valueOf(word.equals("true") || word.equals("yes") || word.equals("on"));
                }
            }
            default -> {
                // any scalar is text: 'target-port' may be written 5432 or "5432", 'max-file-size' 1048576 or 1MB
            }
        }
        return List.of(text);
    }

    /** {@code ; did you mean 'host'?} for a key one or two edits away from a known one, else nothing. */
    private String suggestion(String key) {
        String best = null;
        int bestDistance = 3;
        for (String known : shapes.keySet()) {
            int distance = distance(key, known);
            if (distance < bestDistance) {
                best = known;
                bestDistance = distance;
            }
        }
        return best == null ? "" : "; did you mean '" + best + "'?";
    }

    private static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j] + 1, current[j - 1] + 1));
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}

package io.pgflo.cli;

import com.beust.jcommander.JCommander;
import com.beust.jcommander.ParameterDescription;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import io.pgflo.sink.api.Option;
import io.pgflo.sink.api.OptionKind;
import io.pgflo.sink.api.OptionSet;
import io.pgflo.sink.api.OptionValues;
import io.pgflo.sink.api.SinkProvider;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@code pg_flo stream <sink> --print-config}: every setting of the stream, its value and where it came from (flag,
 * environment, config file, default), as YAML that a config file could hold. Secrets never show: passwords, options
 * their sink marks secret, the user information of URLs, credential headers.
 */
final class EffectiveSettings {
    private static final String REDACTED = "****";
    private static final Set<String> NOT_SETTINGS = Set.of("--help", "--config", "--print-config");
    /** user:password@ (or a token@) in any URL. */
    private static final Pattern USERINFO = Pattern.compile("(?<=://)[^/@\\s]+@");
    /** A header whose value is a credential: {@code Authorization: Bearer ...}, {@code X-Api-Key: ...}. */
    private static final Pattern CREDENTIAL_HEADER = Pattern.compile(
            "(?i)^\\s*([A-Za-z0-9-]*(auth|token|key|secret|cookie|password|session)[A-Za-z0-9-]*)\\s*:.*$");

    private EffectiveSettings() {}

    /** Options declared as data (a sink's, NATS'), with their parsed values. */
    record Declared(OptionSet options, OptionValues values) {}

    static void print(PrintStream out, SinkProvider provider, OptionValues sinkValues, JCommander sinkCommand,
            SettingLayers layers, ConfigFile configFile, String[] args) {
        print(out, "pg_flo stream " + provider.name(), List.of(new Declared(provider.options(), sinkValues)),
                sinkCommand, CommonFlags.names(), layers, configFile, args);
    }

    /**
     * @param command the command's parsed flags (besides the declared options)
     * @param order the flags' names in the order to print them (JCommander's own order is a hash's)
     */
    static void print(PrintStream out, String title, List<Declared> declared, JCommander command, List<String> order,
            SettingLayers layers, ConfigFile configFile, String[] args) {
        out.println("# " + title + ": the effective settings; after each, where it came from");
        if (configFile != null) {
            for (String name : ConfigKeys.SECTIONS) {
                configFile.section(name).ifPresent(section -> out.println("# " + name + ": inline in the config file, at "
                        + section.location()));
            }
        }
        for (Declared options : declared) {
            for (Option<?> option : options.options()) {
                out.println(line(option.name(), sinkValue(option, options.values()),
                        layers.originOf(option.name(), List.of(option.flag()), args)));
            }
        }
        List<ParameterDescription> parameters = new ArrayList<>(command.getParameters());
        parameters.sort(Comparator.comparingInt(parameter -> order.indexOf(parameter.getParameter().names()[0])));
        for (ParameterDescription parameter : parameters) {
            List<String> names = List.of(parameter.getParameter().names());
            String longest = names.stream().max((a, b) -> Integer.compare(a.length(), b.length())).orElseThrow();
            if (NOT_SETTINGS.contains(longest)
                    || declared.stream().anyMatch(options -> options.options().find(longest.substring(2)).isPresent())) {
                continue;
            }
            String flag = longest.substring(2);
            Object value = parameter.getParameterized().get(parameter.getObject());
            String yaml = flag.contains("password") ? (value == null ? "null" : quoted(REDACTED)) : yaml(value);
            out.println(line(flag, yaml, layers.originOf(flag, names, args)));
        }
    }

    private static String line(String name, String yaml, String origin) {
        return name + ": " + yaml + "  # " + origin;
    }

    private static <T> String sinkValue(Option<T> option, OptionValues values) {
        if (option.repeatable()) {
            List<String> texts = new ArrayList<>();
            for (T value : values.all(option)) {
                texts.add(quoted(redact(option.print(value))));
            }
            return "[" + String.join(", ", texts) + "]";
        }
        return values.find(option).map(value -> {
            String text = redact(option.print(value));
            boolean bare = !option.secret() && (option.kind() == OptionKind.BOOLEAN
                    || option.kind() == OptionKind.WHOLE_NUMBER && text.matches("-?[0-9]+"));
            return bare ? text : quoted(text);
        }).orElse("null");
    }

    private static String yaml(Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof Boolean || value instanceof Integer || value instanceof Long) {
            return value.toString();
        }
        if (value instanceof Collection<?> list) {
            List<String> texts = new ArrayList<>();
            for (Object element : list) {
                texts.add(quoted(redact(element.toString())));
            }
            return "[" + String.join(", ", texts) + "]";
        }
        return quoted(redact(value instanceof Path path ? path.toString() : value.toString()));
    }

    /** {@code text} with URL user information and credential header values replaced by {@code ****}. */
    static String redact(String text) {
        String withoutUserinfo = USERINFO.matcher(text).replaceAll(REDACTED + "@");
        var header = CREDENTIAL_HEADER.matcher(withoutUserinfo);
        return header.matches() ? header.group(1) + ": " + REDACTED : withoutUserinfo;
    }

    /** A YAML double-quoted scalar (JSON's string syntax, which YAML reads the same). */
    private static String quoted(String text) {
        return "\"" + new String(JsonStringEncoder.getInstance().quoteAsString(text)) + "\"";
    }
}

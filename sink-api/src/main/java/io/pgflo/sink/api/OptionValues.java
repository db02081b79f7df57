package io.pgflo.sink.api;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The values of a sink's options, parsed and checked against their declarations: what the host hands to
 * {@code SinkProvider.create}. Every option has a value or its default, or is absent when it has neither.
 */
public final class OptionValues {
    private final OptionSet declared;
    private final Map<String, List<Object>> values;

    private OptionValues(OptionSet declared, Map<String, List<Object>> values) {
        this.declared = declared;
        this.values = values;
    }

    /**
     * Parses what was given for each option, by name (without dashes), every text in the order given.
     *
     * @throws IllegalArgumentException with one line naming the first problem: a name that is not declared, a value
     *     that does not parse, a required option not given, a flag given twice that may be given once (the last wins
     *     on the command line; the host passes only that one)
     */
    public static OptionValues parse(OptionSet declared, Map<String, List<String>> given) {
        requireNonNull(declared, "declared is null");
        Map<String, List<Object>> values = new LinkedHashMap<>();
        for (Map.Entry<String, List<String>> entry : given.entrySet()) {
            Option<?> option = declared.find(entry.getKey()).orElseThrow(() ->
                    new IllegalArgumentException("unknown option --" + entry.getKey()));
            List<Object> parsed = new ArrayList<>();
            List<String> texts = option.repeatable() ? entry.getValue()
                    : entry.getValue().subList(Math.max(0, entry.getValue().size() - 1), entry.getValue().size());
            for (String text : texts) {
                parsed.add(option.parse(text));
            }
            values.put(option.name(), List.copyOf(parsed));
        }
        for (Option<?> option : declared) {
            if (option.required() && values.getOrDefault(option.name(), List.of()).isEmpty()) {
                throw new IllegalArgumentException("missing required flag " + option.flag()
                        + (option.description().isEmpty() ? "" : " (" + option.description() + ")"));
            }
        }
        return new OptionValues(declared, values);
    }

    /** Only defaults: for a sink without options, and for tests. */
    public static OptionValues defaults(OptionSet declared) {
        return parse(declared, Map.of());
    }

    /** The value given (the last one, for a repeatable option), else the default; null when there is neither. */
    public <T> T get(Option<T> option) {
        return find(option).orElse(null);
    }

    /** The value given, else the default. */
    public <T> Optional<T> find(Option<T> option) {
        List<T> all = all(option);
        return all.isEmpty() ? option.defaultValue() : Optional.of(all.get(all.size() - 1));
    }

    /** Every value given, in order; empty when none was (defaults are not included). */
    @SuppressWarnings("unchecked")
    public <T> List<T> all(Option<T> option) {
        checkDeclared(option);
        return (List<T>) values.getOrDefault(option.name(), List.of());
    }

    /** Whether the option was given, rather than left to its default. */
    public boolean isGiven(Option<?> option) {
        checkDeclared(option);
        return values.containsKey(option.name());
    }

    /** Each option's value as text, secrets as {@code ****}: for logs and a printed configuration. */
    public Map<String, String> describe() {
        Map<String, String> text = new LinkedHashMap<>();
        for (Option<?> option : declared) {
            describe(option, text);
        }
        return text;
    }

    private <T> void describe(Option<T> option, Map<String, String> text) {
        find(option).ifPresent(value -> text.put(option.name(), option.print(value)));
    }

    private void checkDeclared(Option<?> option) {
        if (declared.find(option.name()).orElse(null) != option) {
            throw new IllegalArgumentException("option " + option.flag() + " is not one of this sink's declared options");
        }
    }

    @Override
    public String toString() {
        return "OptionValues" + describe();
    }
}

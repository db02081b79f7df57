package io.pgflo.sink.api;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * One option a sink declares, as data: its name, the kind of value, its default, whether it is required or secret,
 * what it is for, and the values it allows. The host turns the declaration into a flag ({@code --name}), an
 * environment variable ({@code PGFLO_NAME}), help text and validation, the same way for built-in sinks and plugins.
 *
 * <pre>{@code
 * static final Option<String> URL = Option.text("webhook-url").required().description("where events are POSTed").build();
 * static final Option<Integer> LANES = Option.wholeNumber("webhook-lanes", 1, 64).defaultValue(4).build();
 * }</pre>
 *
 * @param <T> the value's type
 */
public final class Option<T> {
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9]*(-[a-z0-9]+)*");

    private final String name;
    private final OptionKind kind;
    private final Function<String, T> parser;
    private final Function<T, String> printer;
    private final T defaultValue;
    private final boolean required;
    private final boolean secret;
    private final boolean repeatable;
    private final String description;
    private final List<String> allowedValues;

    private Option(Builder<T> builder) {
        this.name = builder.name;
        this.kind = builder.kind;
        this.parser = builder.parser;
        this.printer = builder.printer;
        this.defaultValue = builder.defaultValue;
        this.required = builder.required;
        this.secret = builder.secret;
        this.repeatable = builder.repeatable;
        this.description = builder.description;
        this.allowedValues = List.copyOf(builder.allowedValues);
    }

    /** Free text. */
    public static Builder<String> text(String name) {
        return new Builder<>(name, OptionKind.TEXT, text -> text, value -> value);
    }

    /** A whole number from {@code min} to {@code max}. */
    public static Builder<Integer> wholeNumber(String name, int min, int max) {
        return new Builder<Integer>(name, OptionKind.WHOLE_NUMBER,
                text -> (int) parseWholeNumber(name, text, min, max, "a whole number"), String::valueOf);
    }

    /** A whole number of milliseconds from {@code min} to {@code max}. */
    public static Builder<Long> milliseconds(String name, long min, long max) {
        return new Builder<Long>(name, OptionKind.WHOLE_NUMBER,
                text -> parseWholeNumber(name, text, min, max, "a whole number of milliseconds"), String::valueOf);
    }

    private static long parseWholeNumber(String name, String text, long min, long max, String what) {
        IllegalArgumentException outOfRange = new IllegalArgumentException("--" + name + " must be " + what + " from "
                + min + " to " + max + ", got '" + text + "'");
        long value;
        try {
            value = Long.parseLong(text.strip());
        } catch (NumberFormatException e) {
            throw outOfRange;
        }
        if (value < min || value > max) {
            throw outOfRange;
        }
        return value;
    }

    /** {@code true} or {@code false}; given alone ({@code --name}), true. */
    public static Builder<Boolean> bool(String name) {
        return new Builder<Boolean>(name, OptionKind.BOOLEAN, text -> switch (text.strip().toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on" -> true;
            case "false", "no", "off" -> false;
            default -> throw new IllegalArgumentException("--" + name + " must be true or false, got '" + text + "'");
        }, String::valueOf).defaultValue(false);
    }

    /** A positive duration: {@code 3600} (seconds), {@code 90s}, {@code 30m}, {@code 1h30m}, {@code 500ms}, {@code PT1H}. */
    public static Builder<Duration> duration(String name) {
        return new Builder<>(name, OptionKind.DURATION, text -> DurationText.parse("--" + name, text), DurationText::format);
    }

    /** A positive size in bytes: {@code 1048576}, {@code 512KB}, {@code 100MB}, {@code 2GB} (powers of 1024). */
    public static Builder<Long> byteSize(String name) {
        return new Builder<>(name, OptionKind.BYTE_SIZE, text -> ByteSizeText.parse("--" + name, text), ByteSizeText::format);
    }

    /** A file or directory path; whether it must exist is the sink's to check. */
    public static Builder<Path> path(String name) {
        return new Builder<>(name, OptionKind.PATH, text -> {
            if (text.isBlank()) {
                throw new IllegalArgumentException("--" + name + " must name a path, got an empty value");
            }
            return Path.of(text);
        }, Path::toString);
    }

    /** One of {@code allowed}, compared exactly. */
    public static Builder<String> choice(String name, String... allowed) {
        List<String> values = List.of(allowed);
        Builder<String> builder = new Builder<>(name, OptionKind.CHOICE, text -> {
            if (!values.contains(text)) {
                throw new IllegalArgumentException("--" + name + " must be one of " + String.join(", ", values)
                        + ", got '" + text + "'");
            }
            return text;
        }, value -> value);
        builder.allowedValues = values;
        return builder;
    }

    /**
     * A value of the sink's own form: {@code parser} turns the text into it or throws an IllegalArgumentException whose
     * message names the flag and says what it takes; {@code printer} writes it back.
     */
    public static <T> Builder<T> of(String name, Function<String, T> parser, Function<T, String> printer) {
        return new Builder<>(name, OptionKind.TEXT, requireNonNull(parser, "parser is null"),
                requireNonNull(printer, "printer is null"));
    }

    /** The name, without dashes: {@code webhook-url}. */
    public String name() {
        return name;
    }

    /** The command-line flag: {@code --webhook-url}. */
    public String flag() {
        return "--" + name;
    }

    /** The environment variable that gives the value when the flag is absent: {@code PGFLO_WEBHOOK_URL}. */
    public String environmentVariable() {
        return environmentVariable(name);
    }

    /**
     * The environment variable of any flag, the host's own included: {@code status-dir} (or {@code --status-dir})
     * gives {@code PGFLO_STATUS_DIR}. One rule, so that sink options and common flags read alike.
     */
    public static String environmentVariable(String flag) {
        return "PGFLO_" + flag.replaceFirst("^-+", "").toUpperCase(Locale.ROOT).replace('-', '_');
    }

    public OptionKind kind() {
        return kind;
    }

    /** The value when none is given; empty for a required option or one without a default. */
    public Optional<T> defaultValue() {
        return Optional.ofNullable(defaultValue);
    }

    public boolean required() {
        return required;
    }

    /** Whether the value must never be shown (help, logs, printed configuration). */
    public boolean secret() {
        return secret;
    }

    /** Whether the flag may be given several times, each adding a value (the values come as a list). */
    public boolean repeatable() {
        return repeatable;
    }

    public String description() {
        return description;
    }

    /** For a choice, the values it allows; else empty. */
    public List<String> allowedValues() {
        return allowedValues;
    }

    /**
     * The value {@code text} gives.
     *
     * @throws IllegalArgumentException with one line that names the flag and says what it takes
     */
    public T parse(String text) {
        return parser.apply(requireNonNull(text, "text is null"));
    }

    /** The value as it would be written on the command line, or {@code ****} for a secret. */
    public String print(T value) {
        return secret ? "****" : printer.apply(value);
    }

    @Override
    public String toString() {
        return flag();
    }

    /**
     * Declares an option; {@link #build()} checks the declaration.
     *
     * @param <T> the value's type
     */
    public static final class Builder<T> {
        private final String name;
        private final OptionKind kind;
        private final Function<String, T> parser;
        private final Function<T, String> printer;
        private T defaultValue;
        private boolean required;
        private boolean secret;
        private boolean repeatable;
        private String description = "";
        private List<String> allowedValues = List.of();

        private Builder(String name, OptionKind kind, Function<String, T> parser, Function<T, String> printer) {
            this.name = requireNonNull(name, "name is null");
            this.kind = kind;
            this.parser = parser;
            this.printer = printer;
        }

        public Builder<T> description(String description) {
            this.description = requireNonNull(description, "description is null");
            return this;
        }

        public Builder<T> defaultValue(T value) {
            this.defaultValue = requireNonNull(value, "default value is null");
            return this;
        }

        public Builder<T> required() {
            this.required = true;
            this.defaultValue = null;
            return this;
        }

        public Builder<T> secret() {
            this.secret = true;
            return this;
        }

        /** The flag may be given several times; {@link OptionValues#all} has every value, in order. */
        public Builder<T> repeatable() {
            this.repeatable = true;
            return this;
        }

        /**
         * @throws IllegalArgumentException when the name is not lower-case words joined by '-' (a flag people can
         *     type and an environment variable name), or a required option has a default
         */
        public Option<T> build() {
            if (!NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("option name '" + name + "' must be lower-case letters and digits in "
                        + "words joined by '-', starting with a letter, without leading dashes");
            }
            if (required && defaultValue != null) {
                throw new IllegalArgumentException("option --" + name + " is required, so it cannot have a default");
            }
            return new Option<>(this);
        }
    }
}

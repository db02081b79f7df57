package io.pgflo.cli;

import com.beust.jcommander.Parameter;
import com.beust.jcommander.ParametersDelegate;
import io.pgflo.sink.api.Option;
import io.pgflo.sink.api.OptionKind;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;

/**
 * The flags every {@code pg_flo stream <sink>} takes ({@link SourceOptions}), read from their declarations: for the
 * help text, and to refuse a sink option that would reuse one of them. (JCommander builds its own list only while
 * it parses.)
 */
final class CommonFlags {
    /** One common flag: its names, what it does, whether it is required, and its default. */
    record Flag(List<String> names, String description, boolean required, Object defaultValue, boolean help) {
        String longestName() {
            return names.stream().max((a, b) -> Integer.compare(a.length(), b.length())).orElseThrow();
        }
    }

    /** Read once: the declarations are fixed, and the clash check runs for every sink at every start. */
    private static final List<Flag> ALL = read();

    private CommonFlags() {}

    static List<Flag> all() {
        return ALL;
    }

    private static List<Flag> read() {
        List<Flag> flags = new ArrayList<>();
        read(new SourceOptions(), flags);
        return List.copyOf(flags);
    }

    /** The flags {@code defaults}' fields declare, those of its delegates ({@link ShapingFlags}) in their place. */
    private static void read(Object defaults, List<Flag> flags) {
        for (Field field : defaults.getClass().getDeclaredFields()) {
            Parameter parameter = field.getAnnotation(Parameter.class);
            boolean delegate = field.isAnnotationPresent(ParametersDelegate.class);
            if (parameter == null && !delegate) {
                continue;
            }
            Object value;
            try {
                field.setAccessible(true);
                value = field.get(defaults);
            } catch (IllegalAccessException e) {
                throw new IllegalStateException("cannot read the default of " + field.getName(), e);
            }
            if (delegate) {
                read(value, flags);
            } else {
                flags.add(new Flag(List.of(parameter.names()), parameter.description(), parameter.required(), value,
                        parameter.help()));
            }
        }
    }

    /**
     * Whether a sink may declare {@code option} although a common flag has its name: {@code --track-ddl}, which the
     * PostgreSQL sink takes with a default of its own (on), as a boolean like the common one. The sink's declaration
     * then reads the flag.
     */
    static boolean overridable(Option<?> option) {
        return option.name().equals("track-ddl") && option.kind() == OptionKind.BOOLEAN;
    }

    /** Every name of every flag {@code flags} declares, its delegates' included, in declaration order. */
    static List<String> namesOf(Object flags) {
        List<Flag> declared = new ArrayList<>();
        read(flags, declared);
        return declared.stream().flatMap(flag -> flag.names().stream()).toList();
    }

    /** Every name of every common flag. */
    static List<String> names() {
        return ALL.stream().flatMap(flag -> flag.names().stream()).toList();
    }
}

package io.pgflo.sink.api;

import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The options a sink declares, in the order its help lists them; names are unique. */
public final class OptionSet implements Iterable<Option<?>> {
    /** A sink without options. */
    public static final OptionSet NONE = new OptionSet(List.of());

    private final Map<String, Option<?>> byName;

    private OptionSet(List<Option<?>> options) {
        Map<String, Option<?>> map = new LinkedHashMap<>();
        for (Option<?> option : options) {
            if (map.putIfAbsent(option.name(), option) != null) {
                throw new IllegalArgumentException("option " + option.flag() + " is declared twice");
            }
        }
        this.byName = Collections.unmodifiableMap(map);
    }

    /** @throws IllegalArgumentException when two options share a name */
    public static OptionSet of(Option<?>... options) {
        return new OptionSet(List.of(options));
    }

    public Optional<Option<?>> find(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    public boolean isEmpty() {
        return byName.isEmpty();
    }

    @Override
    public Iterator<Option<?>> iterator() {
        return byName.values().iterator();
    }
}

package io.pgflo.cli;

import com.google.inject.Inject;
import io.pgflo.sink.api.SinkProvider;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Every sink the command line knows, by name. When two sinks share a name, a built-in sink wins over a plugin, and the
 * plugin from the jar whose name sorts first wins over later ones; every clash is reported, never settled silently.
 */
final class SinkRegistry {
    private final Map<String, SinkProvider> providers = new TreeMap<>();
    private final List<String> problems = new ArrayList<>();

    @Inject
    SinkRegistry(Set<SinkProvider> providers) {
        List<SinkProvider> ordered = new ArrayList<>(providers);
        // Built-ins first, then plugins by jar name, so the winner of a clash does not depend on set order.
        ordered.sort(Comparator.<SinkProvider, Boolean>comparing(p -> p instanceof PluginSinkProvider)
                .thenComparing(p -> p instanceof PluginSinkProvider plugin ? plugin.jar().toString() : p.getClass().getName()));
        for (SinkProvider provider : ordered) {
            String name = provider.name();
            SinkProvider winner = this.providers.putIfAbsent(name, provider);
            if (winner != null) {
                problems.add("sink '" + name + "' from " + SinkOrigin.of(provider) + " ignored: the name is taken by "
                        + (winner instanceof PluginSinkProvider ? "" : "the built-in sink from ") + SinkOrigin.of(winner));
            }
        }
    }

    private SinkRegistry(Map<String, SinkProvider> providers, List<String> problems) {
        this.providers.putAll(providers);
        this.problems.addAll(problems);
    }

    /** This registry with only {@code usable} of its sinks. */
    SinkRegistry only(Collection<SinkProvider> usable) {
        Map<String, SinkProvider> kept = new TreeMap<>();
        providers.forEach((name, provider) -> {
            if (usable.contains(provider)) {
                kept.put(name, provider);
            }
        });
        return new SinkRegistry(kept, problems);
    }

    Optional<SinkProvider> find(String name) {
        return Optional.ofNullable(providers.get(name));
    }

    Collection<SinkProvider> all() {
        return Collections.unmodifiableCollection(providers.values());
    }

    List<String> problems() {
        return List.copyOf(problems);
    }
}

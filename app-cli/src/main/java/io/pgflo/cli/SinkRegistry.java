package io.pgflo.cli;

import com.google.inject.Inject;
import io.pgflo.domain.SinkProvider;
import java.util.Collection;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/** Every sink the command line knows, by name. */
final class SinkRegistry {
    private final Map<String, SinkProvider<?>> providers = new TreeMap<>();

    @Inject
    SinkRegistry(Set<SinkProvider<?>> providers) {
        for (SinkProvider<?> provider : providers) {
            SinkProvider<?> previous = this.providers.putIfAbsent(provider.name(), provider);
            if (previous != null) {
                throw new IllegalStateException("two sinks are named '" + provider.name() + "': "
                        + previous.getClass().getName() + " and " + provider.getClass().getName());
            }
        }
    }

    Optional<SinkProvider<?>> find(String name) {
        return Optional.ofNullable(providers.get(name));
    }

    Collection<SinkProvider<?>> all() {
        return Collections.unmodifiableCollection(providers.values());
    }
}

package io.pgflo.sink.api;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the engine tells a sink about the stream it will receive.
 *
 * <p>Beyond these, the host may grant a sink a capability by type ({@link #capability}): access to the source
 * database for the built-in PostgreSQL sink's schema copy, for example. A plugin gets none it was not meant to: the
 * source's password, in particular, is no plugin's business.
 *
 * @param group the replication group name (one slot, one publication, one checkpoint)
 * @param statusDir where a sink that keeps its checkpoint in a file puts it
 * @param tables the replicated tables
 * @param capabilities what the host granted this sink, by type
 */
public record SinkContext(String group, Path statusDir, List<TableName> tables, Map<Class<?>, Object> capabilities) {
    public SinkContext {
        requireNonNull(group, "group is null");
        requireNonNull(statusDir, "statusDir is null");
        tables = List.copyOf(tables);
        capabilities = Map.copyOf(capabilities);
    }

    public SinkContext(String group, Path statusDir, List<TableName> tables) {
        this(group, statusDir, tables, Map.of());
    }

    /** This context with {@code capability} granted as a {@code type}. */
    public <T> SinkContext withCapability(Class<T> type, T capability) {
        Map<Class<?>, Object> granted = new HashMap<>(capabilities);
        granted.put(requireNonNull(type, "type is null"), requireNonNull(capability, "capability is null"));
        return new SinkContext(group, statusDir, tables, granted);
    }

    /**
     * The host's canonical JSON encoding of events, which the host grants every sink.
     *
     * @throws IllegalStateException when this context was made without one (a test's, say)
     */
    public EventEncoder eventEncoder() {
        return capability(EventEncoder.class).orElseThrow(() ->
                new IllegalStateException("this sink context carries no event encoder"));
    }

    /**
     * Whom to tell when a batch finishes on the sink's own thread ({@link BatchCompletionListener}); nobody when the
     * host granted no listener.
     */
    public BatchCompletionListener batchCompletionListener() {
        return capability(BatchCompletionListener.class).orElse(BatchCompletionListener.NONE);
    }

    /** What the host granted as a {@code type}, if it did. */
    public <T> Optional<T> capability(Class<T> type) {
        return Optional.ofNullable(capabilities.get(type)).map(type::cast);
    }

    @Override
    public String toString() {
        // Capabilities may hold credentials: named by type only.
        return "SinkContext[group=" + group + ", statusDir=" + statusDir + ", tables=" + tables + ", capabilities="
                + capabilities.keySet().stream().map(Class::getSimpleName).toList() + "]";
    }
}

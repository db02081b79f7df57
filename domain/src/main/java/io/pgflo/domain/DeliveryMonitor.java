package io.pgflo.domain;

/**
 * What a built-in sink reports about delivering to its destination, for the health endpoint and the metrics: the host
 * grants it through {@code SinkContext.capability(DeliveryMonitor.class)} to built-in sinks only (a plugin needs
 * nothing of it). Called from the sink's own threads: keep each call cheap, and never throw.
 */
public interface DeliveryMonitor {
    /** Reports nothing: what a sink uses when the host granted no monitor. */
    DeliveryMonitor NONE = new DeliveryMonitor() {};

    /**
     * One request to the destination ended: {@code code} is its HTTP status ({@code "200"}, {@code "503"}), or a word
     * for a request that got no answer ({@code "io_error"}, {@code "timeout"}). A handful of values, fit for a label.
     */
    default void requestEnded(String code) {}

    /** The sink waits to retry its destination; {@code reason} (no secret in it) says what failed. Not ready until {@link #delivering()}. */
    default void retrying(String reason) {}

    /** The sink delivers again: nothing waits to retry. */
    default void delivering() {}
}

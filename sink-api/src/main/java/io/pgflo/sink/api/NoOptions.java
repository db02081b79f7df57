package io.pgflo.sink.api;

/** The options of a sink that has no flags of its own. */
public final class NoOptions {
    public static final NoOptions INSTANCE = new NoOptions();

    private NoOptions() {}
}

package io.pgflo.bench;

import java.nio.file.Path;
import java.util.OptionalInt;
import java.util.OptionalLong;

/** A contender at work. */
interface Launch {
    /** The process whose memory and CPU are the contender's cost, if known yet. */
    OptionalLong pid();

    /** Adds the contender's current peak memory and CPU time to {@code stats}; called every poll and at the end. */
    default void sample(ProcessStats stats) {
        pid().ifPresent(stats::sample);
    }

    /** Its exit status once it has exited; empty while it runs (or when it is not a process of ours). */
    OptionalInt exitCode();

    /** Stops it the way an operator would (SIGTERM, or DROP SUBSCRIPTION) and waits until it has. */
    void stop() throws Exception;

    /** The last lines of its log, to explain a failure; empty when there is none. */
    default String logTail() {
        return "";
    }

    /** The JVM's {@code -Xlog:gc} file, or null for other programs. */
    default Path gcLog() {
        return null;
    }
}

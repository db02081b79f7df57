package io.pgflo.domain;

import io.pgflo.sink.api.Batch;
import java.time.Duration;
import java.time.Instant;

/**
 * What a pipeline reports as it runs, for metrics. Called on the pipeline's thread: keep each call cheap, and never
 * throw. Every method does nothing by default.
 */
public interface PipelineListener {
    /** Reports nothing. */
    PipelineListener NONE = new PipelineListener() {};

    /** A transaction of the source ended (its changes, if any, are in batches written or to be written). */
    default void transactionCommitted() {}

    /** A {@link ChangeShaper} left {@code change} out (a filter rule, or an operation its route does not take). */
    default void filtered(SourceChange change) {}

    /** The sink took {@code batch} in {@code took} (for a sink that finishes in the background, until it returned). */
    default void batchWritten(Batch batch, Duration took) {}

    /**
     * A batch became durable in the sink: {@code commitTime} is the source commit time of its newest transaction, so
     * {@code now - commitTime} is how long its changes took from the source's commit to the sink.
     */
    default void durable(Instant commitTime, Instant now) {}
}

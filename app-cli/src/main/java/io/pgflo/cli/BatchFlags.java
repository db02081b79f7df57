package io.pgflo.cli;

import com.beust.jcommander.Parameter;
import io.pgflo.domain.BatchPolicy;
import java.time.Duration;

/** {@code --batch-size} and {@code --batch-delay-ms}, which {@code pg_flo stream} and {@code pg_flo worker} take. */
final class BatchFlags {
    @Parameter(names = "--batch-size", description = "most events per batch", validateWith = WholeNumberRange.Positive.class)
    int size = BatchPolicy.DEFAULT.maxEvents();

    @Parameter(names = "--batch-delay-ms", description = "longest a committed change waits before its batch is written",
            validateWith = WholeNumberRange.NonNegativeMillis.class)
    long delayMillis = BatchPolicy.DEFAULT.maxDelay().toMillis();

    BatchPolicy policy() {
        if (delayMillis < 0) {
            throw new IllegalArgumentException("--batch-delay-ms must not be negative, got " + delayMillis);
        }
        return new BatchPolicy(size, Duration.ofMillis(delayMillis));
    }
}

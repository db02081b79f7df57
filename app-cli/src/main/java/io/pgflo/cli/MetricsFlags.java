package io.pgflo.cli;

import com.beust.jcommander.Parameter;

/** {@code --metrics-port} and {@code --metrics-bind}, which {@code pg_flo stream} and {@code pg_flo worker} take. */
final class MetricsFlags {
    @Parameter(names = "--metrics-port", description = "serve /metrics (Prometheus), /health/live and /health/ready "
            + "on this port; 0: off", validateWith = WholeNumberRange.NonNegative.class)
    int port;

    @Parameter(names = "--metrics-bind", description = "address the metrics endpoint listens on")
    String bind = "127.0.0.1";
}

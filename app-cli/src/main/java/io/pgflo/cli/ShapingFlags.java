package io.pgflo.cli;

import com.beust.jcommander.Parameter;
import java.nio.file.Path;

/**
 * {@code --rules-config} and {@code --routing-config}, which {@code pg_flo stream <sink>} and {@code pg_flo worker
 * <sink>} both take (see {@link ShapingModule}).
 */
final class ShapingFlags {
    @Parameter(names = "--rules-config", description = "YAML file of rules (pg_flo's format: transform, filter, "
            + "exclude_column per table), applied to every change and copied row before the sink sees it")
    String rulesConfig;

    @Parameter(names = "--routing-config", description = "YAML file (pg_flo's format) that renames tables and columns "
            + "and chooses the operations sent per table; applied after any rules, for every sink")
    Path routingConfig;
}

package io.pgflo.cli;

import com.beust.jcommander.Parameter;
import java.nio.file.Path;

/** {@code --routing-config}: pg_flo's routing file, for every sink (see the routing module). */
final class RoutingFlags {
    @Parameter(names = "--routing-config", description = "YAML file (pg_flo's format) that renames tables and columns "
            + "and chooses the operations sent per table; applied after any rules, for every sink")
    Path routingConfig;
}

package io.pgflo.cli;

import io.pgflo.domain.DatabaseEndpoint;
import java.nio.file.Path;
import java.util.List;

/**
 * What {@link ShapingModule} and {@link RoutingModule} read, for {@code pg_flo stream} and {@code pg_flo worker}
 * alike.
 *
 * @param rulesConfig {@code --rules-config}, or null
 * @param routingConfig {@code --routing-config}, or null
 * @param configFile the {@code --config} file, for its inline {@code rules:} and {@code routing:}; null without one
 * @param schema the schema of table names written without one
 * @param tables the replicated tables ({@code --tables}); empty for every table of {@code schema}
 * @param catalog the source whose catalog the files are checked against; null for a worker without source flags
 */
record ShapingSettings(String rulesConfig, Path routingConfig, ConfigFile configFile, String schema,
        List<String> tables, DatabaseEndpoint catalog) {
    ShapingSettings {
        tables = List.copyOf(tables);
    }

    static ShapingSettings of(SourceOptions options) {
        return new ShapingSettings(options.shaping.rulesConfig, options.shaping.routingConfig, options.configFile,
                options.schema, options.tables, options.endpoint());
    }
}

package io.pgflo.cli;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import io.pgflo.domain.TableRoutes;
import io.pgflo.routing.Routes;
import io.pgflo.sink.api.ConfigurationException;
import io.pgflo.wal.ReplicatedColumns;

/**
 * Binds the {@link TableRoutes} of {@code --routing-config} (or the config file's inline {@code routing:}), checked against the replicated tables' columns in the
 * source's catalog before anything is created there: a bad file stops the start with one line and status 2, and the
 * source is left as it was. {@link TableRoutes#NONE} without a file.
 */
final class RoutingModule extends AbstractModule {
    private final ShapingSettings options;

    RoutingModule(ShapingSettings options) {
        this.options = options;
    }

    @Provides
    @Singleton
    TableRoutes tableRoutes() {
        Routes routes;
        if (options.routingConfig() != null) {
            routes = Routes.load(options.routingConfig());
        } else if (options.configFile() != null && options.configFile().section("routing").isPresent()) {
            // The inline routing: section, read from the file again so that errors name its lines.
            routes = Routes.load(options.configFile().path(), "/routing");
        } else {
            return TableRoutes.NONE;
        }
        if (routes.isEmpty()) {
            return TableRoutes.NONE;
        }
        if (options.catalog() == null) {
            // Routes are checked against the replicated tables' columns, and a worker names its source to have them.
            throw new ConfigurationException("routing needs the source's catalog to check its tables and columns; "
                    + "give the worker --source-host, --source-port, --source-dbname and --source-user");
        }
        return routes.resolve(ReplicatedColumns.read(options.catalog(), options.schema(), options.tables()));
    }
}

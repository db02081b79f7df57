package io.pgflo.cli;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import io.pgflo.domain.TableRoutes;
import io.pgflo.routing.Routes;
import io.pgflo.wal.ReplicatedColumns;

/**
 * Binds the {@link TableRoutes} of {@code --routing-config}, checked against the replicated tables' columns in the
 * source's catalog before anything is created there: a bad file stops the start with one line and status 2, and the
 * source is left as it was. {@link TableRoutes#NONE} without a file.
 */
final class RoutingModule extends AbstractModule {
    private final SourceOptions options;

    RoutingModule(SourceOptions options) {
        this.options = options;
    }

    @Provides
    @Singleton
    TableRoutes tableRoutes() {
        if (options.routing.routingConfig == null) {
            return TableRoutes.NONE;
        }
        Routes routes = Routes.load(options.routing.routingConfig);
        if (routes.isEmpty()) {
            return TableRoutes.NONE;
        }
        return routes.resolve(ReplicatedColumns.read(options.endpoint(), options.schema, options.tables));
    }
}

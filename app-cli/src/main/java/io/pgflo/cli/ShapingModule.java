package io.pgflo.cli;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import io.pgflo.domain.ChangeShaper;
import io.pgflo.domain.TableRoutes;
import io.pgflo.routing.RoutingShaper;

/**
 * Binds the {@link ChangeShaper} the engine applies to every change, copied row and backfill row: {@link
 * ChangeShaper#NONE} unless rules or routes are configured. Provided before the source is opened, so that a bad file is
 * reported with nothing created on the source.
 */
final class ShapingModule extends AbstractModule {
    private final SourceOptions options;

    ShapingModule(SourceOptions options) {
        this.options = options;
    }

    @Override
    protected void configure() {
        install(new RoutingModule(options));
    }

    /** The rules, then the routes (which rename what the rules name by the source's names). */
    @Provides
    @Singleton
    ChangeShaper shaper(TableRoutes routes) {
        ChangeShaper rules = ChangeShaper.NONE;
        ChangeShaper routing = routes.isEmpty() ? ChangeShaper.NONE : new RoutingShaper(routes);
        return rules.andThen(routing);
    }
}

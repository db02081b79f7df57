package io.pgflo.cli;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import io.pgflo.domain.ChangeShaper;
import io.pgflo.domain.TableRoutes;
import io.pgflo.routing.RoutingShaper;
import java.nio.file.Path;

/**
 * Binds the {@link ChangeShaper} the engine applies to every change, copied row and backfill row: the rules of
 * {@code --rules-config} ({@link RulesLoader}), then the routes of {@code --routing-config} ({@link RoutingModule});
 * {@link ChangeShaper#NONE} without either. Provided before the source is opened, so that a bad file is reported with
 * nothing created on the source.
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

    /** The rules, then the routes: rules name the source's tables and columns, which routing renames. */
    @Provides
    @Singleton
    ChangeShaper shaper(TableRoutes routes) {
        ChangeShaper rules = options.rulesConfig == null ? ChangeShaper.NONE
                : RulesLoader.load(Path.of(options.rulesConfig), options.schema, options.endpoint());
        ChangeShaper routing = routes.isEmpty() ? ChangeShaper.NONE : new RoutingShaper(routes);
        return rules.andThen(routing);
    }
}

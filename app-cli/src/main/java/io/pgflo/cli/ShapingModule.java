package io.pgflo.cli;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import io.pgflo.domain.ChangeShaper;
import io.pgflo.domain.TableRoutes;
import io.pgflo.routing.RoutingShaper;
import java.nio.file.Path;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Binds the {@link ChangeShaper} the engine applies to every change, copied row and backfill row: the rules of
 * {@code --rules-config} ({@link RulesLoader}), then the routes of {@code --routing-config} ({@link RoutingModule});
 * {@link ChangeShaper#NONE} without either. Provided before the source is opened, so that a bad file is reported with
 * nothing created on the source.
 */
final class ShapingModule extends AbstractModule {
    private static final Logger log = LoggerFactory.getLogger(ShapingModule.class);
    private final ShapingSettings options;

    ShapingModule(ShapingSettings options) {
        this.options = options;
    }

    @Override
    protected void configure() {
        install(new RoutingModule(options));
    }

    /**
     * The rules, then the routes: rules name the source's tables and columns, which routing renames. The rules come
     * from {@code --rules-config} (flag, environment or config file key) or else from the config file's inline
     * {@code rules:} section.
     */
    @Provides
    @Singleton
    ChangeShaper shaper(TableRoutes routes) {
        Optional<ConfigSection> inline = options.configFile() == null ? Optional.empty()
                : options.configFile().section("rules");
        if (options.rulesConfig() != null && inline.isPresent()) {
            log.warn("rules from --rules-config {} replace the inline rules: section of {}", options.rulesConfig(),
                    inline.get().file());
        }
        ChangeShaper rules = options.rulesConfig() != null
                ? RulesLoader.load(Path.of(options.rulesConfig()), options.schema(), options.catalog())
                : inline.map(section -> RulesLoader.load(section, options.schema(), options.catalog()))
                        .orElse(ChangeShaper.NONE);
        ChangeShaper routing = routes.isEmpty() ? ChangeShaper.NONE : new RoutingShaper(routes);
        return rules.andThen(routing);
    }
}

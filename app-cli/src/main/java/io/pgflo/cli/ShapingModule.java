package io.pgflo.cli;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import io.pgflo.domain.ChangeShaper;
import java.nio.file.Path;

/**
 * Binds the {@link ChangeShaper} the engine applies to every change, copied row and backfill row: the rules of
 * {@code --rules-config} ({@link RulesLoader}), else {@link ChangeShaper#NONE}. Provided before the source is opened,
 * so that a bad file is reported with nothing created on the source.
 */
final class ShapingModule extends AbstractModule {
    private final SourceOptions options;

    ShapingModule(SourceOptions options) {
        this.options = options;
    }

    /** Rules first; routing, when configured, composes after them ({@code rules.andThen(routing)}). */
    @Provides
    @Singleton
    ChangeShaper shaper() {
        return options.rulesConfig == null ? ChangeShaper.NONE
                : RulesLoader.load(Path.of(options.rulesConfig), options.schema, options.endpoint());
    }
}

package io.pgflo.cli;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import io.pgflo.domain.ChangeShaper;

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

    @Provides
    @Singleton
    ChangeShaper shaper() {
        return ChangeShaper.NONE;
    }
}

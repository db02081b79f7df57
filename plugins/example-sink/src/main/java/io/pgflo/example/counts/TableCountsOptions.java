package io.pgflo.example.counts;

import io.pgflo.sink.api.Option;
import io.pgflo.sink.api.OptionSet;
import java.nio.file.Path;

/** The sink's options, declared as data: pg_flo makes them flags, environment variables and help. */
final class TableCountsOptions {
    /** {@code --counts-file}, or {@code PGFLO_COUNTS_FILE}. */
    static final Option<Path> COUNTS_FILE = Option.path("counts-file")
            .required()
            .description("JSON file holding the per-table counts and the checkpoint")
            .build();

    static final OptionSet ALL = OptionSet.of(COUNTS_FILE);

    private TableCountsOptions() {}
}

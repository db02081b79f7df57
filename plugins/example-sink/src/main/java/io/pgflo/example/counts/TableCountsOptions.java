package io.pgflo.example.counts;

import com.beust.jcommander.Parameter;
import java.nio.file.Path;

/** The sink's flags. JCommander fills them; {@code pg_flo stream table-counts --help} lists them. */
public final class TableCountsOptions {
    @Parameter(names = "--counts-file", description = "JSON file holding the per-table counts and the checkpoint",
            required = true)
    public Path countsFile;
}

package io.pgflo.cli;

import io.pgflo.domain.ChangeShaper;
import io.pgflo.domain.DatabaseEndpoint;
import io.pgflo.rules.Rules;
import io.pgflo.wal.SourceTables;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads {@code --rules-config}: the file on its own first, then against the source's catalog (a read-only query), so
 * a mistake in either is one line and status 2 with nothing created on the source.
 */
final class RulesLoader {
    private static final Logger log = LoggerFactory.getLogger(RulesLoader.class);

    private RulesLoader() {}

    static ChangeShaper load(Path file, String schema, DatabaseEndpoint source) {
        Rules rules = Rules.load(file);
        ChangeShaper shaper = rules.shaper(schema, SourceTables.describe(source, rules.tables(schema)));
        log.info("rules of {} loaded for tables {}", file, rules.tables(schema));
        return shaper;
    }
}

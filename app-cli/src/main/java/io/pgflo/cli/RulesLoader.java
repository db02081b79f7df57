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
        return checked(Rules.load(file), file.toString(), schema, source);
    }

    /** The inline {@code rules:} section of a config file, checked the same way. */
    static ChangeShaper load(ConfigSection section, String schema, DatabaseEndpoint source) {
        String origin = section.file() + " (rules:)";
        return checked(Rules.fromTree(section.tree(), origin), origin, schema, source);
    }

    /**
     * Without a source ({@code source} null: a worker given no {@code --source-*} flags), the file is checked on its
     * own and each table's rules against the columns of its first change.
     */
    private static ChangeShaper checked(Rules rules, String origin, String schema, DatabaseEndpoint source) {
        if (source == null) {
            log.info("rules of {} loaded for tables {}; checked against each table's first change (no source named)",
                    origin, rules.tables(schema));
            return rules.shaperWithoutCatalog(schema);
        }
        ChangeShaper shaper = rules.shaper(schema, SourceTables.describe(source, rules.tables(schema)));
        log.info("rules of {} loaded for tables {}", origin, rules.tables(schema));
        return shaper;
    }
}

package io.pgflo.rules;

import io.pgflo.domain.ChangeShaper;
import io.pgflo.domain.SourceChange;
import io.pgflo.sink.api.TableName;
import java.util.HashMap;
import java.util.Map;

/** The rules of every table as the engine's {@link ChangeShaper}; a table without rules passes untouched. Thread-safe. */
final class RulesShaper implements ChangeShaper {
    /** By schema, then table: a change is looked up without building a name. */
    private final Map<String, Map<String, TableRules>> tables = new HashMap<>();

    RulesShaper(Map<TableName, TableRules> rules) {
        rules.forEach((name, table) -> tables.computeIfAbsent(name.schema(), schema -> new HashMap<>())
                .put(name.table(), table));
    }

    @Override
    public SourceChange shape(SourceChange change) {
        Map<String, TableRules> ofSchema = tables.get(change.schema());
        TableRules table = ofSchema == null ? null : ofSchema.get(change.table());
        return table == null ? change : table.shape(change);
    }
}

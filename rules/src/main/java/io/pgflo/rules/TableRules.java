package io.pgflo.rules;

import io.pgflo.domain.SourceChange;
import io.pgflo.sink.api.Operation;
import java.util.List;

/** The rules of one table, in the file's order; each sees the change as the ones before it left it. */
record TableRules(List<Rule> rules) {
    TableRules {
        rules = List.copyOf(rules);
    }

    SourceChange shape(SourceChange change) {
        Operation operation = change.operation();
        if (operation != Operation.INSERT && operation != Operation.UPDATE && operation != Operation.DELETE
                && operation != Operation.READ) {
            return change; // DDL, TRUNCATE, COPY_DONE: no row to shape
        }
        Shaping shaping = new Shaping(change);
        for (int i = 0; i < rules.size(); i++) {
            Rule rule = rules.get(i);
            if (rule.scope().applies(shaping.operation) && !rule.apply(shaping)) {
                return null;
            }
        }
        return shaping.result();
    }
}

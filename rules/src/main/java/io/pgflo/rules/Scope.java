package io.pgflo.rules;

import io.pgflo.sink.api.Operation;
import java.util.Set;

/**
 * Which changes a rule applies to: its {@code operations} (a copied or backfilled row counts as an INSERT), and with
 * {@code allow_empty_deletes}, never a DELETE (pg_flo's meaning: a DELETE, which may carry only the key, goes through
 * the rule untouched).
 */
record Scope(Set<Operation> operations, boolean skipDeletes) {
    static final Set<Operation> ALL = Set.of(Operation.INSERT, Operation.UPDATE, Operation.DELETE);

    Scope {
        operations = Set.copyOf(operations);
    }

    boolean applies(Operation operation) {
        Operation as = operation == Operation.READ ? Operation.INSERT : operation;
        return operations.contains(as) && !(skipDeletes && as == Operation.DELETE);
    }
}

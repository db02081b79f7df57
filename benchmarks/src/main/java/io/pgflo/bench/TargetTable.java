package io.pgflo.bench;

import io.pgflo.testkit.TestPostgres;
import java.util.HashMap;
import java.util.Map;

/**
 * The target side of a PostgreSQL contender: one database per workload on the target server, with the benchmark
 * table created ahead (neither pg_flo's sink nor a subscription is asked to create it).
 */
final class TargetTable {
    private final String prefix;
    private final Map<String, Database> databases = new HashMap<>();

    TargetTable(String prefix) {
        this.prefix = prefix;
    }

    Database create(BenchContext context, RunSpec run) {
        TestPostgres target = context.target();
        String name = target.createDatabase(prefix + "_" + run.workload().name());
        Database database = new Database(target.endpoint(name));
        database.execute(BenchTable.CREATE);
        databases.put(run.workload().name(), database);
        return database;
    }

    Database get(RunSpec run) {
        Database database = databases.get(run.workload().name());
        if (database == null) {
            throw new IllegalStateException("no target database prepared for workload " + run.workload().name());
        }
        return database;
    }

    /** Compares the target table with the source's fingerprint. */
    Delivery verify(RunSpec run) {
        String target = get(run).queryString(BenchTable.FINGERPRINT);
        boolean ok = target.equals(run.sourceFingerprint());
        return new Delivery(null, ok, ok ? "target table = source" : "target " + target + " != source " + run.sourceFingerprint());
    }

    void drop(BenchContext context, RunSpec run) {
        Database database = databases.remove(run.workload().name());
        if (database != null && !context.options().keepOutput()) {
            context.target().dropDatabase(database.name());
        }
    }
}

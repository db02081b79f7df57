package io.pgflo.bench;

import io.pgflo.sink.api.Lsn;
import java.nio.file.Path;

/**
 * One contender's run on one workload.
 *
 * @param source the source database holding the workload and the contender's slot
 * @param endLsn the position the contender's slot must confirm: the end of the workload's end marker (null while
 *     the contender is prepared, before the workload)
 * @param workDirectory where the contender's logs, status and output files go
 * @param sourceFingerprint {@link BenchTable#FINGERPRINT} of the source after the workload, for PostgreSQL targets
 */
record RunSpec(Workload workload, SourceDatabase source, Lsn endLsn, Path workDirectory, String sourceFingerprint) {
    RunSpec withEnd(Lsn end, String fingerprint) {
        return new RunSpec(workload, source, end, workDirectory, fingerprint);
    }
}

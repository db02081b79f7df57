package io.pgflo.bench;

import io.pgflo.domain.DatabaseEndpoint;
import java.util.List;
import java.util.Map;

/** pg_flo's PostgreSQL sink into a target database with the stamping trigger. */
final class PostgresLatencyContender extends TargetLatencyContender {
    private ProcessLaunch process;

    @Override
    public String id() {
        return "postgres";
    }

    @Override
    void startInto(LatencyContext context, String targetDb) throws Exception {
        DatabaseEndpoint target = context.target().endpoint(targetDb);
        process = PgFloLatencyProcess.start(context, id(), "postgres", List.of("--target-host", target.host(),
                "--target-port", Integer.toString(target.port()), "--target-dbname", target.database(),
                "--target-user", target.user()), Map.of("PGFLO_TARGET_PASSWORD", target.password()));
        SlotWait.untilActive(context.source(), context.sourceDb(), PgFloLatencyProcess.slot(id()), this::failure);
    }

    @Override
    public String failure() {
        return PgFloLatencyProcess.exited(process);
    }

    @Override
    public void close() throws Exception {
        if (process != null) {
            process.stop();
        }
        dropTarget();
    }
}

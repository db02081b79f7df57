package io.pgflo.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** pg_flo's PostgreSQL sink into a second server: the comparison is {@link NativeSubscriptionContender}. */
final class PgFloPostgresContender extends PgFloContender {
    private TargetTable target;
    private List<String> ddlArguments = List.of();
    private TargetBackendLaunch launch;

    /** Named after the heap variant too, so that each variant drains into a database of its own. */
    private TargetTable target() {
        if (target == null) {
            target = new TargetTable("bench_pgflo" + variantSuffix());
        }
        return target;
    }

    @Override
    String baseId() {
        return "postgres";
    }

    @Override
    String baseName() {
        return "pg_flo postgres";
    }

    @Override
    public String measures() {
        return "pg_flo's PostgreSQL sink into a second server, data and checkpoint in one target transaction";
    }

    @Override
    String sink() {
        return "postgres";
    }

    @Override
    public void prepare(BenchContext context, RunSpec run) {
        target().create(context, run);
        // Asked here, before the clock runs: DDL capture would install an event trigger on the source, and the
        // benchmark has no DDL to replay.
        if (jar(context).sinkHelp(sink()).contains("--track-ddl")) {
            ddlArguments = List.of("--track-ddl", "false");
        }
    }

    @Override
    public Launch launch(BenchContext context, RunSpec run) throws Exception {
        // The sink's connection to the target is named after the group (PostgresSink's application_name).
        launch = new TargetBackendLaunch(super.launch(context, run), target().get(run), "pg_flo-" + names().group() + "-sink");
        return launch;
    }

    @Override
    List<String> sinkArguments(BenchContext context, RunSpec run) {
        Database database = target().get(run);
        List<String> arguments = new ArrayList<>(List.of(
                "--target-host", database.endpoint().host(),
                "--target-port", Integer.toString(database.endpoint().port()),
                "--target-dbname", database.name(),
                "--target-user", database.endpoint().user()));
        arguments.addAll(ddlArguments);
        return arguments;
    }

    @Override
    Map<String, String> sinkEnvironment(BenchContext context, RunSpec run) {
        String password = target().get(run).endpoint().password();
        return password == null ? Map.of() : Map.of("PGFLO_TARGET_PASSWORD", password);
    }

    @Override
    public Delivery verify(BenchContext context, RunSpec run) {
        Delivery delivery = target().verify(run);
        String backend = launch == null ? "" : launch.note();
        if (backend.isEmpty()) {
            return delivery;
        }
        return new Delivery(delivery.events(), delivery.ok(), delivery.note().isEmpty() ? backend : delivery.note() + ", " + backend);
    }

    @Override
    public void cleanup(BenchContext context, RunSpec run) {
        target().drop(context, run);
    }
}

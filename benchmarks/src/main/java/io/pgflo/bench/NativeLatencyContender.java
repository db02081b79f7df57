package io.pgflo.bench;

import io.pgflo.domain.DatabaseEndpoint;

/** PostgreSQL's own logical replication: a subscription on the target to a publication of the table. */
final class NativeLatencyContender extends TargetLatencyContender {
    private static final String NAME = "pg_flo_latency_native";

    private LatencyContext context;
    private String targetDb;

    @Override
    public String id() {
        return "native";
    }

    @Override
    void startInto(LatencyContext context, String targetDb) throws Exception {
        this.context = context;
        this.targetDb = targetDb;
        DatabaseEndpoint source = context.sourceEndpoint();
        context.source().execute(context.sourceDb(), "CREATE PUBLICATION " + NAME + " FOR TABLE "
                + LatencyTable.QUALIFIED);
        context.target().execute(targetDb, "CREATE SUBSCRIPTION " + NAME + " CONNECTION 'host=" + source.host()
                + " port=" + source.port() + " dbname=" + source.database() + " user=" + source.user() + " password="
                + source.password() + "' PUBLICATION " + NAME + " WITH (copy_data = false)");
        SlotWait.untilActive(context.source(), context.sourceDb(), NAME, () -> "");
    }

    @Override
    public void close() {
        if (context != null) {
            context.target().execute(targetDb, "DROP SUBSCRIPTION IF EXISTS " + NAME);
        }
        dropTarget();
    }
}

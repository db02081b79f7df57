package io.pgflo.bench;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * PostgreSQL's own logical replication into the same kind of target: {@code CREATE SUBSCRIPTION} on the target with
 * {@code create_slot = false} on this contender's pre-created slot and {@code copy_data = false}. Its cost is the
 * apply worker process on the target (its peak RSS counts the shared buffers it touched).
 */
final class NativeSubscriptionContender implements Contender {
    private static final String SUBSCRIPTION = "pg_flo_bench_native";

    private final TargetTable target = new TargetTable("bench_native");

    @Override
    public String id() {
        return "native";
    }

    @Override
    public String displayName() {
        return "native subscription";
    }

    @Override
    public String measures() {
        return "PostgreSQL's logical replication (CREATE SUBSCRIPTION, apply worker) into a second server";
    }

    @Override
    public String unavailableReason(BenchContext context) {
        return null;
    }

    @Override
    public void prepare(BenchContext context, RunSpec run) {
        target.create(context, run);
    }

    @Override
    public Launch launch(BenchContext context, RunSpec run) {
        Database database = target.get(run);
        Database source = run.source().database();
        String connection = source.libpqConnectionString()
                + (source.endpoint().password() == null ? "" : " password=" + source.endpoint().password());
        database.execute("CREATE SUBSCRIPTION " + SUBSCRIPTION + " CONNECTION '" + connection.replace("'", "''")
                + "' PUBLICATION " + names().publication() + " WITH (create_slot = false, slot_name = '"
                + names().slot() + "', copy_data = false)");
        return new SubscriptionLaunch(database);
    }

    @Override
    public Delivery verify(BenchContext context, RunSpec run) {
        return target.verify(run);
    }

    @Override
    public void cleanup(BenchContext context, RunSpec run) {
        target.drop(context, run);
    }

    /** The subscription's apply worker; stopping detaches the subscription from the slot, which the harness drops. */
    private static final class SubscriptionLaunch implements Launch {
        private final Database database;
        private long applyWorkerPid = -1;

        SubscriptionLaunch(Database database) {
            this.database = database;
        }

        @Override
        public OptionalLong pid() {
            if (applyWorkerPid < 0) {
                try (Connection connection = database.connect();
                        Statement statement = connection.createStatement();
                        ResultSet rows = statement.executeQuery("SELECT pid FROM pg_stat_subscription WHERE subname = '"
                                + SUBSCRIPTION + "' AND relid IS NULL AND pid IS NOT NULL")) {
                    if (rows.next()) {
                        applyWorkerPid = rows.getLong(1);
                    }
                } catch (SQLException e) {
                    return OptionalLong.empty();
                }
            }
            return applyWorkerPid < 0 ? OptionalLong.empty() : OptionalLong.of(applyWorkerPid);
        }

        @Override
        public OptionalInt exitCode() {
            return OptionalInt.empty();
        }

        @Override
        public void stop() {
            database.execute("ALTER SUBSCRIPTION " + SUBSCRIPTION + " DISABLE",
                    "ALTER SUBSCRIPTION " + SUBSCRIPTION + " SET (slot_name = NONE)",
                    "DROP SUBSCRIPTION " + SUBSCRIPTION);
        }
    }
}

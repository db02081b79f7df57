package io.pgflo.bench;

import io.pgflo.testkit.TestPostgres;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;

/**
 * A consumer that applies the rows to a PostgreSQL target, where the table's {@code ALWAYS} trigger stamps each row's
 * apply time: read afterwards, so that nothing polls the target while it works.
 */
abstract class TargetLatencyContender implements LatencyContender {
    private TestPostgres target;
    private String targetDb;
    private long maxId;

    /** Starts the consumer into {@code targetDb}, whose table and trigger exist, and waits until it streams. */
    abstract void startInto(LatencyContext context, String targetDb) throws Exception;

    @Override
    public final void start(LatencyContext context) throws Exception {
        target = context.target();
        maxId = context.maxId();
        targetDb = target.createDatabase("latency_" + id().replace('-', '_'));
        target.execute(targetDb, LatencyTable.CREATE);
        target.execute(targetDb, LatencyTable.STAMP_ON_TARGET);
        startInto(context, targetDb);
    }

    @Override
    public long durable(LatencySegment segment) throws Exception {
        try (Connection connection = target.connect(targetDb);
                PreparedStatement count = connection.prepareStatement(LatencyTable.COUNT_BETWEEN)) {
            count.setLong(1, segment.firstId());
            count.setLong(2, segment.lastId());
            try (ResultSet rows = count.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }

    @Override
    public Arrivals arrivals(LatencySegment segment) throws Exception {
        Arrivals arrivals = new Arrivals(maxId);
        try (Connection connection = target.connect(targetDb);
                PreparedStatement applied = connection.prepareStatement(LatencyTable.APPLY_TIMES)) {
            connection.setAutoCommit(false); // a cursor, not the whole result at once
            applied.setFetchSize(50_000);
            applied.setLong(1, segment.firstId());
            applied.setLong(2, segment.lastId());
            try (ResultSet rows = applied.executeQuery()) {
                while (rows.next()) {
                    arrivals.arrived(rows.getLong(1), rows.getLong(2));
                }
            }
        }
        return arrivals;
    }

    /** Drops the target database once the consumer has stopped. */
    void dropTarget() {
        if (targetDb != null) {
            target.dropDatabase(targetDb);
        }
    }
}

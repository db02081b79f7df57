package io.pgflo.bench;

/**
 * The latency workload's table. {@code applied_at} stays null on the source; on a PostgreSQL target a row trigger,
 * enabled {@code ALWAYS} so that it fires for replication sessions too, stamps the time the row is applied there.
 */
final class LatencyTable {
    static final String SCHEMA = "public";
    static final String NAME = "pg_flo_latency_events";
    static final String QUALIFIED = SCHEMA + "." + NAME;

    static final String CREATE = "CREATE TABLE " + QUALIFIED
            + " (id bigint PRIMARY KEY, payload text NOT NULL, applied_at timestamptz)";

    /** Rows {@code ?..?}, about 100 bytes each: a small OLTP change. */
    static final String INSERT = "INSERT INTO " + QUALIFIED + " (id, payload) "
            + "SELECT g, 'order-' || g || '-' || md5(g::text) || '-' || repeat('x', 40) FROM generate_series(?, ?) g";

    static final String[] STAMP_ON_TARGET = {
        "CREATE FUNCTION pg_flo_latency_stamp() RETURNS trigger LANGUAGE plpgsql AS "
                + "$$ BEGIN NEW.applied_at := clock_timestamp(); RETURN NEW; END $$",
        "CREATE TRIGGER pg_flo_latency_stamp BEFORE INSERT OR UPDATE ON " + QUALIFIED
                + " FOR EACH ROW EXECUTE FUNCTION pg_flo_latency_stamp()",
        "ALTER TABLE " + QUALIFIED + " ENABLE ALWAYS TRIGGER pg_flo_latency_stamp",
    };

    /** Each row's commit time on the source, in microseconds since the epoch ({@code track_commit_timestamp}). */
    static final String COMMIT_TIMES = "SELECT id, (extract(epoch FROM pg_xact_commit_timestamp(xmin)) * 1000000)::bigint"
            + " FROM " + QUALIFIED + " WHERE id BETWEEN ? AND ?";

    /** Each row's apply time on a PostgreSQL target, in microseconds since the epoch. */
    static final String APPLY_TIMES = "SELECT id, (extract(epoch FROM applied_at) * 1000000)::bigint FROM " + QUALIFIED
            + " WHERE id BETWEEN ? AND ?";

    static final String COUNT_BETWEEN = "SELECT count(*) FROM " + QUALIFIED + " WHERE id BETWEEN ? AND ?";

    private LatencyTable() {}
}

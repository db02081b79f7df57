package io.pgflo.bench;

/**
 * The benchmark table: a bigint key and one column each of text, numeric, timestamptz, jsonb and boolean, with
 * values of realistic size (a row's pgoutput INSERT message is about 225 bytes, its JSON event about 430).
 */
final class BenchTable {
    static final String SCHEMA = "public";
    static final String NAME = "pg_flo_bench_events";
    static final String QUALIFIED = SCHEMA + "." + NAME;

    /** Autovacuum is off for the table so that no ANALYZE of a million new rows competes with a contender for CPU. */
    static final String CREATE = "CREATE TABLE " + QUALIFIED + " ("
            + "id bigint PRIMARY KEY, "
            + "name text NOT NULL, "
            + "amount numeric(12,2) NOT NULL, "
            + "created_at timestamptz NOT NULL, "
            + "payload jsonb NOT NULL, "
            + "active boolean NOT NULL"
            + ") WITH (autovacuum_enabled = false)";

    static final String DROP = "DROP TABLE IF EXISTS " + QUALIFIED;

    /** The rows with ids {@code FROM_ID..TO_ID}, which {@link #insertRange} replaces with SQL expressions. */
    private static final String INSERT_RANGE = "INSERT INTO " + QUALIFIED + " (id, name, amount, created_at, payload, active) "
            + "SELECT g, 'customer-' || g || '-' || md5(g::text), ((g % 100000) * 1.37)::numeric(12,2), "
            + "timestamptz '2024-01-01 00:00:00+00' + g * interval '1 second', "
            + "jsonb_build_object('id', g, 'sku', 'SKU-' || (g % 997), 'qty', g % 7, "
            + "'tags', jsonb_build_array('new', 'web'), 'nested', jsonb_build_object('x', g % 13, 'ok', g % 2 = 0)), "
            + "g % 3 <> 0 "
            + "FROM generate_series(FROM_ID, TO_ID) g";

    static String insertRange(String from, String to) {
        return INSERT_RANGE.replace("FROM_ID", from).replace("TO_ID", to);
    }

    /**
     * A fingerprint of the table's contents, equal on source and target exactly when they hold the same rows (for
     * this workload's data): row count, key sum, amount sum, name lengths, active rows and a hash of the payloads.
     */
    static final String FINGERPRINT = "SELECT count(*) || ' rows, ids ' || coalesce(sum(id), 0) || ', amount '"
            + " || coalesce(sum(amount), 0) || ', names ' || coalesce(sum(length(name)), 0) || ', active '"
            + " || count(*) FILTER (WHERE active) || ', payload ' || coalesce(sum(hashtext(payload::text)::bigint), 0)"
            + " FROM " + QUALIFIED;

    private BenchTable() {}
}

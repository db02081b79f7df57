package io.pgflo.bench;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/** What the benchmark writes into the source table, after every contender's slot exists. */
sealed interface Workload {
    /** {@code bulk} or {@code oltp}. */
    String name();

    /** The row changes the workload makes: what every contender has to deliver. */
    long events();

    /** One line for the results. */
    String description();

    /** Writes the workload; the connection is in autocommit mode. */
    void generate(Connection connection) throws SQLException;

    /** One transaction of {@code rows} inserts. */
    record Bulk(long rows) implements Workload {
        public Bulk {
            if (rows < 1) {
                throw new IllegalArgumentException("--rows must be at least 1, got " + rows);
            }
        }

        @Override
        public String name() {
            return "bulk";
        }

        @Override
        public long events() {
            return rows;
        }

        @Override
        public String description() {
            return "one transaction of " + rows + " inserts";
        }

        @Override
        public void generate(Connection connection) throws SQLException {
            try (Statement statement = connection.createStatement()) {
                statement.execute(BenchTable.insertRange("1", Long.toString(rows)));
            }
        }
    }

    /**
     * {@code transactions} transactions of 10 changes each: 6 inserts, 3 updates of rows the previous transaction
     * inserted, and 1 delete of a row inserted in the same transaction. A server-side procedure commits each one, so
     * the client's round trips do not limit the workload.
     */
    record Oltp(long transactions) implements Workload {
        static final int CHANGES_PER_TRANSACTION = 10;

        public Oltp {
            if (transactions < 1) {
                throw new IllegalArgumentException("--transactions must be at least 1, got " + transactions);
            }
        }

        @Override
        public String name() {
            return "oltp";
        }

        @Override
        public long events() {
            return transactions * CHANGES_PER_TRANSACTION;
        }

        @Override
        public String description() {
            return transactions + " transactions of 6 inserts, 3 updates and 1 delete";
        }

        @Override
        public void generate(Connection connection) throws SQLException {
            String insert = BenchTable.insertRange("base + 1", "base + 6");
            try (Statement statement = connection.createStatement()) {
                statement.execute("CREATE OR REPLACE PROCEDURE pg_flo_bench_oltp(transactions bigint) LANGUAGE plpgsql AS $$\n"
                        + "DECLARE base bigint; previous bigint;\n"
                        + "BEGIN\n"
                        + "  FOR i IN 0 .. transactions - 1 LOOP\n"
                        + "    base := i * 6;\n"
                        + "    previous := CASE WHEN i = 0 THEN base ELSE base - 6 END;\n"
                        + "    " + insert + ";\n"
                        + "    UPDATE " + BenchTable.QUALIFIED + " SET amount = amount + 1, active = NOT active,"
                        + " name = name || '+' WHERE id BETWEEN previous + 1 AND previous + 3;\n"
                        + "    DELETE FROM " + BenchTable.QUALIFIED + " WHERE id = base + 5;\n"
                        + "    COMMIT;\n"
                        + "  END LOOP;\n"
                        + "END $$");
                statement.execute("CALL pg_flo_bench_oltp(" + transactions + ")");
                statement.execute("DROP PROCEDURE pg_flo_bench_oltp(bigint)");
            }
        }
    }
}

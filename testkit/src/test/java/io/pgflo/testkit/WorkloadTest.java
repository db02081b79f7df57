package io.pgflo.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(PostgresExtension.class)
class WorkloadTest {
    @Test
    void usersScenarioCommitsEachChangeSeparately(TestPostgres pg) {
        String db = pg.createDatabase("workload");
        Workload.createUsersTable(pg, db);
        long xidBefore = pg.queryLong(db, "SELECT txid_current()");

        Workload.runUsersScenario(pg, db, 10, 3, 2);

        assertThat(pg.queryLong(db, "SELECT count(*) FROM users")).isEqualTo(8);
        assertThat(pg.queryString(db, "SELECT string_agg(data, ',' ORDER BY id) FROM users WHERE id <= 4"))
                .isEqualTo("updated-3,user-4");
        // 10 + 3 + 2 transactions, plus the one asking for txid_current() again.
        assertThat(pg.queryLong(db, "SELECT txid_current()") - xidBefore).isEqualTo(16);
    }

    @Test
    void rejectsChangesToRowsItNeverInserted(TestPostgres pg) {
        assertThatThrownBy(() -> Workload.runUsersScenario(pg, "postgres", 1, 2, 0))
                .isInstanceOf(IllegalArgumentException.class);
    }
}

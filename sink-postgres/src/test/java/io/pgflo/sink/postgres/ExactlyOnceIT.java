package io.pgflo.sink.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgflo.domain.SourceMessage;
import io.pgflo.domain.TransactionCommit;
import io.pgflo.sink.api.Batch;
import io.pgflo.sink.api.Position;
import io.pgflo.sink.api.ChangeEvent;
import io.pgflo.sink.api.Lsn;
import io.pgflo.sink.api.TableName;
import io.pgflo.testkit.TestPostgres;
import io.pgflo.wal.PostgresChangeSource;
import io.pgflo.wal.WalSourceConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The checkpoint and the data commit together: after a crash at any point, re-delivery from the checkpoint applies
 * nothing twice, a failed batch leaves no trace, and a lost connection is retried.
 */
class ExactlyOnceIT {
    private final TestPostgres sourceServer = TestPostgres.shared();
    private final TestPostgres targetServer = TargetServer.get();

    @Test
    void aSinkRecreatedAfterACrashAppliesNothingTwice() {
        Fixture fixture = new Fixture("recreate");
        List<List<SourceMessage>> transactions = fixture.capture(6, i -> List.of(
                "BEGIN; INSERT INTO ledger VALUES (" + i + ", 'entry " + i + "'); "
                        + "UPDATE counters SET n = n + 1 WHERE id = 1; COMMIT"));
        Batch first = batch(transactions.subList(0, 3));
        Batch second = batch(transactions.subList(3, 6));

        try (PostgresSink sink = new PostgresSink(fixture.config())) {
            write(sink, first);
            assertThat(sink.lastCheckpoint()).isEqualTo(first.checkpoint());
        }
        // A restart: the new sink reads the checkpoint from the target; the source delivers again from an older position.
        try (PostgresSink sink = new PostgresSink(fixture.config())) {
            assertThat(sink.lastCheckpoint()).isEqualTo(first.checkpoint());
            write(sink, first);
            write(sink, second);
            write(sink, second);
            assertThat(sink.lastCheckpoint()).isEqualTo(second.checkpoint());
        }
        assertThat(fixture.targetRows("SELECT count(*), count(DISTINCT id) FROM ledger")).containsExactly("6 | 6");
        assertThat(fixture.targetRows("SELECT n FROM counters")).containsExactly("6");
        assertThat(fixture.targetRows("SELECT group_name, lsn::text FROM internal_pg_flo.lsn_status"))
                .containsExactly("recreate | " + second.checkpoint());
    }

    @Test
    void aSourceTransactionSplitAcrossBatchesBecomesVisibleWholeOrNotAtAll() {
        Fixture fixture = new Fixture("split");
        List<List<SourceMessage>> transactions = fixture.capture(1, i -> List.of(
                "BEGIN; INSERT INTO ledger SELECT g, 'bulk' FROM generate_series(1, 100) g; "
                        + "UPDATE counters SET n = 100 WHERE id = 1; COMMIT"));
        List<ChangeEvent> events = events(transactions);
        Lsn end = commit(transactions.get(0)).endLsn();
        // The engine cuts a transaction larger than a batch: the parts carry the previous checkpoint.
        Batch part1 = Batch.of(events.subList(0, 40), Lsn.ZERO);
        Batch part2 = Batch.of(events.subList(40, 80), Lsn.ZERO);
        Batch rest = Batch.of(events.subList(80, events.size()), end);

        try (PostgresSink sink = new PostgresSink(fixture.config())) {
            write(sink, part1);
            write(sink, part2);
            assertThat(fixture.targetRows("SELECT count(*) FROM ledger")).as("not visible before the source commit")
                    .containsExactly("0");
            assertThat(sink.lastCheckpoint()).isEqualTo(Position.START);
        } // crash before the rest arrives: the open target transaction is rolled back
        assertThat(fixture.targetRows("SELECT count(*) FROM ledger")).containsExactly("0");

        try (PostgresSink sink = new PostgresSink(fixture.config())) {
            write(sink, part1);
            write(sink, part2);
            write(sink, rest);
            assertThat(sink.lastCheckpoint()).isEqualTo(Position.afterTransaction(end));
        }
        assertThat(fixture.targetRows("SELECT count(*), count(DISTINCT id) FROM ledger")).containsExactly("100 | 100");
        assertThat(fixture.targetRows("SELECT n FROM counters")).containsExactly("100");
    }

    @Test
    void aFailingChangeRollsBackItsBatchNamesTheRowAndSucceedsOnceFixed() {
        Fixture fixture = new Fixture("failing");
        List<List<SourceMessage>> transactions = fixture.capture(1, i -> List.of(
                "BEGIN; INSERT INTO ledger SELECT g, 'row ' || g FROM generate_series(1, 50) g; COMMIT"));
        Batch batch = batch(transactions);
        try (PostgresSink sink = new PostgresSink(fixture.config())) {
            // The target refuses one row the source accepted.
            targetServer.execute(fixture.target, "ALTER TABLE ledger ADD CONSTRAINT not_37 CHECK (id <> 37)");
            assertThatThrownBy(() -> write(sink, batch))
                    .isInstanceOf(PostgresSinkException.class)
                    .hasMessageContaining("public.ledger")
                    .hasMessageContaining("(id, note)=(37, row 37)")
                    .hasMessageContaining("not_37")
                    .hasMessageContaining("checkpoint stays at 0/0");
            assertThat(sink.lastCheckpoint()).isEqualTo(Position.START);
            assertThat(fixture.targetRows("SELECT count(*) FROM ledger")).containsExactly("0");
            assertThat(fixture.targetRows("SELECT count(*) FROM internal_pg_flo.lsn_status")).containsExactly("0");

            assertThatThrownBy(() -> write(sink, batch)).as("a failed sink writes nothing more")
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("earlier failure");
        }
        targetServer.execute(fixture.target, "ALTER TABLE ledger DROP CONSTRAINT not_37");
        try (PostgresSink sink = new PostgresSink(fixture.config())) {
            write(sink, batch);
            assertThat(sink.lastCheckpoint()).isEqualTo(batch.checkpoint());
        }
        assertThat(fixture.targetRows("SELECT count(*) FROM ledger")).containsExactly("50");
    }

    @Test
    void changeByChangeATruncateOfSeveralTablesStaysOneStatementSoTheErrorNamesTheRowAtFault() {
        Fixture fixture = new Fixture("truncfk");
        List<List<SourceMessage>> transactions = fixture.capture(2, i -> i == 1
                ? List.of("TRUNCATE ledger, counters")
                : List.of("BEGIN; INSERT INTO counters SELECT g, 0 FROM generate_series(1, 50) g; "
                        + "INSERT INTO ledger SELECT g, 'row ' || g FROM generate_series(1, 50) g; COMMIT"));
        Batch batch = batch(transactions);
        try (PostgresSink sink = new PostgresSink(fixture.config())) {
            // On the target, ledger references counters: neither can be truncated without the other.
            targetServer.execute(fixture.target,
                    "ALTER TABLE ledger ADD CONSTRAINT ledger_counter FOREIGN KEY (id) REFERENCES counters (id)",
                    "ALTER TABLE ledger ADD CONSTRAINT not_37 CHECK (id <> 37)");
            // The multi-row insert fails, and the batch is applied again change by change to find the row at fault.
            assertThatThrownBy(() -> write(sink, batch))
                    .isInstanceOf(PostgresSinkException.class)
                    .hasMessageContaining("(id, note)=(37, row 37)")
                    .hasMessageContaining("not_37");
        }
        assertThat(fixture.targetRows("SELECT count(*) FROM counters")).containsExactly("0");
    }

    @Test
    void retriesABatchOnANewConnectionWhenTheTargetDropsIt() {
        Fixture fixture = new Fixture("retry");
        List<List<SourceMessage>> transactions = fixture.capture(4, i -> List.of(
                "INSERT INTO ledger VALUES (" + i + ", 'x')"));
        try (PostgresSink sink = new PostgresSink(fixture.config())) {
            write(sink, batch(transactions.subList(0, 2)));
            targetServer.execute("postgres", "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    + "WHERE application_name = 'pg_flo-retry-sink'");
            write(sink, batch(transactions.subList(2, 4)));
            assertThat(sink.lastCheckpoint()).isEqualTo(Position.afterTransaction(commit(transactions.get(3)).endLsn()));
        }
        assertThat(fixture.targetRows("SELECT count(*) FROM ledger")).containsExactly("4");
    }

    @Test
    @SuppressWarnings("try") // the server is closed inside its try block on purpose: a target that stays down
    void survivesATargetRestartAndGivesUpWithAClearErrorWhenTheTargetStaysDown() throws Exception {
        try (TestPostgres ownTarget = TestPostgres.start()) {
            Fixture fixture = new Fixture("restart", ownTarget);
            List<List<SourceMessage>> transactions = fixture.capture(3, i -> List.of(
                    "INSERT INTO ledger VALUES (" + i + ", 'x')"));
            try (PostgresSink sink = new PostgresSink(fixture.config())) {
                write(sink, batch(transactions.subList(0, 1)));
                ownTarget.restart();
                write(sink, batch(transactions.subList(1, 2)));
                assertThat(sink.lastCheckpoint()).isEqualTo(Position.afterTransaction(commit(transactions.get(1)).endLsn()));
            }
            assertThat(Replication.rows(ownTarget, fixture.target, "SELECT count(*) FROM ledger")).containsExactly("2");
            PostgresSink sink = new PostgresSink(fixture.config());
            ownTarget.close();
            Position before = sink.lastCheckpoint();
            assertThatThrownBy(() -> write(sink, batch(transactions.subList(2, 3))))
                    .isInstanceOf(PostgresSinkException.class)
                    .hasMessageContaining("gave up after 2 retries")
                    .hasMessageContaining("checkpoint stays at " + before)
                    .hasMessageNotContaining(TestPostgres.SUPERUSER_PASSWORD + "@");
            sink.close();
        }
    }

    @Test
    void aBatchIsDurableWhenTheCheckpointSaysSoNotWhenTheWriteReturns() {
        Fixture fixture = new Fixture("overlap");
        List<List<SourceMessage>> transactions = fixture.capture(4, i -> List.of(
                "INSERT INTO ledger VALUES (" + i + ", 'x')"));
        try (PostgresSink sink = new PostgresSink(fixture.config())) {
            Batch first = batch(transactions.subList(0, 2));
            Batch second = batch(transactions.subList(2, 4));
            sink.writeBatch(first);
            sink.writeBatch(second); // waits for the first, hands over the second
            assertThat(sink.lastCheckpoint()).isIn(first.checkpoint(), second.checkpoint());
            assertThat(fixture.targetRows("SELECT count(*) >= 2 FROM ledger")).containsExactly("t");
            sink.flush();
            assertThat(sink.lastCheckpoint()).isEqualTo(second.checkpoint());
            assertThat(fixture.targetRows("SELECT lsn::text FROM internal_pg_flo.lsn_status"))
                    .containsExactly(second.checkpoint().toString());
        }
        assertThat(fixture.targetRows("SELECT count(*) FROM ledger")).containsExactly("4");
    }

    @Test
    void aFailureAfterTheWriteReturnedIsThrownByTheNextCall() {
        Fixture fixture = new Fixture("late_failure");
        List<List<SourceMessage>> transactions = fixture.capture(2, i -> List.of(
                "INSERT INTO ledger VALUES (" + i + ", 'x')"));
        try (PostgresSink sink = new PostgresSink(fixture.config())) {
            targetServer.execute(fixture.target, "ALTER TABLE ledger ADD CONSTRAINT not_1 CHECK (id <> 1)");
            sink.writeBatch(batch(transactions.subList(0, 1)));
            assertThatThrownBy(sink::flush).isInstanceOf(PostgresSinkException.class).hasMessageContaining("not_1");
            assertThat(sink.lastCheckpoint()).isEqualTo(Position.START);
        }
        assertThat(fixture.targetRows("SELECT count(*) FROM internal_pg_flo.lsn_status")).containsExactly("0");
    }

    /** Writes the batch and waits until it is durable, as the pipeline does at a stop. */
    private static void write(PostgresSink sink, Batch batch) {
        sink.writeBatch(batch);
        sink.flush();
    }

    /** A source database with a keyless insert-only table and a counter, and a target database synced from it. */
    private final class Fixture {
        final String group;
        final String source;
        final String target;
        final TestPostgres targetPg;

        Fixture(String group) {
            this(group, targetServer);
        }

        Fixture(String group, TestPostgres targetPg) {
            this.group = group;
            this.targetPg = targetPg;
            this.source = sourceServer.createDatabase(group + "_src");
            this.target = targetPg.createDatabase(group + "_dst");
            sourceServer.execute(source,
                    "CREATE TABLE ledger (id int, note text)",
                    "ALTER TABLE ledger REPLICA IDENTITY FULL",
                    "CREATE TABLE counters (id int PRIMARY KEY, n int NOT NULL)");
        }

        PostgresSinkConfig config() {
            return PostgresSinkConfig.of(targetPg.endpoint(target), group)
                    .withSource(sourceServer.endpoint(source), List.of(new io.pgflo.sink.api.TableName("public", "ledger"),
                            new io.pgflo.sink.api.TableName("public", "counters")))
                    .withSyncSchema(true)
                    .withSchemaCopier(SchemaSync.Copier.CATALOG, null)
                    .withRetries(2, Duration.ofMillis(200));
        }

        List<String> targetRows(String query) {
            return Replication.rows(targetPg, target, query);
        }

        /** Runs the statements of {@code count} transactions and returns each transaction's messages, commit last. */
        List<List<SourceMessage>> capture(int count, java.util.function.IntFunction<List<String>> transaction) {
            WalSourceConfig config = WalSourceConfig.of(sourceServer.endpoint(source), group, "public", List.of())
                    .withHeartbeatInterval(Duration.ZERO);
            try (PostgresChangeSource changes = PostgresChangeSource.open(config)) {
                changes.start(Position.START);
                sourceServer.execute(source, "INSERT INTO counters VALUES (1, 0)");
                for (int i = 1; i <= count; i++) {
                    sourceServer.execute(source, transaction.apply(i).toArray(String[]::new));
                }
                List<List<SourceMessage>> transactions = new ArrayList<>();
                List<SourceMessage> current = new ArrayList<>();
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (transactions.size() < count + 1 && System.nanoTime() < deadline) {
                    SourceMessage message = changes.poll(Duration.ofMillis(100));
                    if (message != null) {
                        current.add(message);
                        if (message instanceof TransactionCommit) {
                            transactions.add(current);
                            current = new ArrayList<>();
                        }
                    }
                }
                assertThat(transactions).as("transactions received").hasSize(count + 1);
                // The first transaction inserts the counter row; make it part of the first one the test uses.
                List<SourceMessage> merged = new ArrayList<>(transactions.get(0));
                merged.remove(merged.size() - 1);
                merged.addAll(transactions.get(1));
                transactions.set(1, merged);
                return transactions.subList(1, transactions.size());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    static Batch batch(List<List<SourceMessage>> transactions) {
        return Batch.of(events(transactions), commit(transactions.get(transactions.size() - 1)).endLsn());
    }

    static List<ChangeEvent> events(List<List<SourceMessage>> transactions) {
        List<ChangeEvent> events = new ArrayList<>();
        for (List<SourceMessage> transaction : transactions) {
            for (SourceMessage message : transaction) {
                if (message instanceof ChangeEvent event) {
                    events.add(event);
                }
            }
        }
        return events;
    }

    static TransactionCommit commit(List<SourceMessage> transaction) {
        return (TransactionCommit) transaction.get(transaction.size() - 1);
    }
}

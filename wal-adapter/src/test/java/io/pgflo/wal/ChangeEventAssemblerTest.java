package io.pgflo.wal;

import static io.pgflo.wal.PgOutputBytes.message;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgflo.domain.OpenTransactionDiscarded;
import io.pgflo.domain.SourceChange;
import io.pgflo.domain.SourceMessage;
import io.pgflo.domain.TransactionCommit;
import io.pgflo.sink.api.ChangeEvent;
import io.pgflo.sink.api.ColumnType;
import io.pgflo.sink.api.Lsn;
import io.pgflo.sink.api.Position;
import io.pgflo.sink.api.Operation;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChangeEventAssemblerTest {
    private final ChangeEventAssembler assembler = new ChangeEventAssembler(oid -> ColumnType.ofOid(oid, "t" + oid));
    private final List<SourceMessage> out = new ArrayList<>();

    @TempDir
    Path spoolDirectory;

    private void feed(PgOutputBytes bytes, long lsn) {
        assembler.accept(bytes.buffer(), Lsn.of(lsn), out::add);
    }

    private void streamStart(int xid, boolean first) {
        feed(message('S').i32(xid).i8(first ? 1 : 0), 0);
    }

    private void streamStop() {
        feed(message('E'), 0);
    }

    /** Inside a block: the relation, as the server sends it into each streamed transaction. */
    private void streamedRelation(int xid) {
        feed(message('R').i32(xid).i32(1).string("public").string("users").i8('d').i16(2)
                .i8(1).string("id").i32(23).i32(-1).i8(0).string("data").i32(25).i32(-1), 0);
    }

    private void streamedInsert(int xid, String id, long lsn) {
        feed(message('I').i32(xid).i32(1).i8('N').i16(2).text(id).text("row " + id), lsn);
    }

    private void insert(String id, long lsn) {
        feed(message('I').i32(1).i8('N').i16(2).text(id).text("row " + id), lsn);
    }

    private void streamCommit(int xid, long commitLsn) {
        feed(message('c').i32(xid).i8(0).i64(commitLsn).i64(commitLsn + 8).i64(0), commitLsn);
    }

    private void streamAbort(int xid, int subxid) {
        feed(message('A').i32(xid).i32(subxid), 0);
    }

    private List<String> summary() {
        return out.stream().map(m -> m instanceof ChangeEvent e
                ? e.newRow().text("id") + (e.provisional() ? "?" : "@" + e.commitLsn().value())
                : m instanceof TransactionCommit c ? "commit " + c.commitLsn().value()
                : "discard " + ((OpenTransactionDiscarded) m).xid()).toList();
    }

    @Test
    void aStreamedTransactionIsDeliveredAtItsCommitFromItsSpool() {
        assembler.spoolTo(spoolDirectory, 64);
        streamStart(50, true);
        streamedRelation(50);
        streamedInsert(50, "1", 110);
        streamStop();
        assertThat(out).as("nothing before the commit").isEmpty();
        streamStart(50, false);
        streamedInsert(51, "2", 120);
        streamedInsert(50, "3", 130);
        streamStop();
        streamCommit(50, 300);
        assertThat(summary()).containsExactly("1@300", "2@300", "3@300", "commit 300");
        assertThat(out.subList(0, 3)).extracting(m -> ((ChangeEvent) m).ordinal()).containsExactly(0, 1, 2);
        assertThat(((ChangeEvent) out.get(1)).xid()).as("the top-level xid").isEqualTo(50);
        assertThat(((ChangeEvent) out.get(1)).lsn()).isEqualTo(Lsn.of(120));
        assertThat(spoolDirectory.toFile().list()).as("spool file removed").isEmpty();
    }

    @Test
    void provisionalDeliverySendsTheChangesAsTheyStreamAndTheCommitConfirmsThem() {
        assembler.deliverProvisionally(true);
        streamStart(50, true);
        streamedRelation(50);
        streamedInsert(50, "1", 110);
        streamStop();
        streamStart(50, false);
        streamedInsert(50, "2", 120);
        streamStop();
        assertThat(summary()).containsExactly("1?", "2?");
        assertThat(((ChangeEvent) out.get(1)).ordinal()).isEqualTo(1);
        streamCommit(50, 300);
        assertThat(summary()).containsExactly("1?", "2?", "commit 300");
        // The stream's relation is the shared one once the transaction committed.
        begin(400, 60);
        feed(message('I').i32(1).i8('N').i16(2).text("9").text("x"), 350);
        commit(400);
        assertThat(summary()).endsWith("9@400", "commit 400");
    }

    @Test
    void aChangeCarriesItsValuesUtf8BytesAsTheWireGaveThemTheSameAsCountedFromItsRows() {
        relation();
        begin(400, 60);
        feed(message('I').i32(1).i8('N').i16(2).text("9").text("d\u00e9j\u00e0 \uD83D\uDC18"), 350);
        feed(message('U').i32(1).i8('O').i16(2).text("9").text("old").i8('N').i16(2).text("9").i8('u'), 360);
        feed(message('D').i32(1).i8('K').i16(2).text("9").i8('n'), 370);
        commit(400);
        List<ChangeEvent> events = out.stream().filter(ChangeEvent.class::isInstance).map(ChangeEvent.class::cast).toList();
        assertThat(events).extracting(ChangeEvent::valueBytes).containsExactly(1L + 11, 1L + 1 + 3, 1L);
        for (ChangeEvent event : events) {
            ChangeEvent counted = new SourceChange(event.operation(), event.schema(), event.table(), event.lsn(),
                    event.commitLsn(), event.xid(), event.commitTime(), event.ordinal(), event.keyColumns(),
                    event.newRow(), event.oldRow(), event.ddl());
            assertThat(counted).isEqualTo(event);
        }
    }

    @Test
    void aTransactionCommittingWhileAnotherStreamsVoidsTheProvisionalChangesWhichComeAgainAtTheCommit() {
        assembler.deliverProvisionally(true);
        relation();
        streamStart(50, true);
        streamedInsert(50, "1", 110);
        streamStop();
        begin(200, 60);
        feed(message('I').i32(1).i8('N').i16(2).text("small").text("x"), 150);
        commit(200);
        streamStart(50, false);
        streamedInsert(50, "2", 220);
        streamStop();
        streamCommit(50, 300);
        assertThat(summary()).containsExactly("1?", "discard 50", "small@200", "commit 200", "1@300", "2@300", "commit 300");
    }

    @Test
    void aTransactionWithoutChangesLeavesTheProvisionalOneAloneAndItsCommitDoesNotMoveTheCheckpoint() {
        assembler.deliverProvisionally(true);
        relation();
        streamStart(50, true);
        streamedInsert(50, "1", 110);
        streamStop();
        // A heartbeat: a transactional logical message of another prefix, no change.
        begin(200, 60);
        feed(message('M').i8(1).i64(150).string(HeartbeatEmitter.PREFIX).i32(0), 150);
        commit(200);
        streamStart(50, false);
        streamedInsert(50, "2", 220);
        streamStop();
        streamCommit(50, 300);
        assertThat(summary()).containsExactly("1?", "2?", "commit 300");
    }

    @Test
    void anOriginInAStreamBlockIsNotTakenForAChange() {
        assembler.deliverProvisionally(true);
        relation();
        streamStart(50, true);
        feed(message('O').i64(77).string("upstream"), 0);
        streamedInsert(50, "1", 110);
        streamStop();
        streamCommit(50, 300);
        assertThat(summary()).containsExactly("1?", "commit 300");
    }

    @Test
    void aStreamedTransactionTheCheckpointCoversStillDescribesItsTables() {
        assembler.resumeAfter(Position.afterTransaction(Lsn.of(500)));
        streamStart(50, true);
        streamedRelation(50);
        streamedInsert(50, "1", 110);
        streamStop();
        streamCommit(50, 300);
        begin(600, 60);
        feed(message('I').i32(1).i8('N').i16(2).text("9").text("x"), 550);
        commit(600);
        assertThat(summary()).containsExactly("9@600", "commit 600");
    }

    @Test
    void resumingInsideATransactionDeliversOnlyItsChangesAfterTheOrdinalThenEverything() {
        assembler.resumeAfter(Position.of(Lsn.of(600), 1));
        relation();
        begin(400, 40);
        insert("0", 350);
        commit(400);
        begin(600, 60);
        for (int i = 0; i < 4; i++) {
            insert(Integer.toString(i), 550 + i);
        }
        commit(600);
        begin(700, 70);
        insert("0", 650);
        commit(700);
        assertThat(summary()).as("changes 0 and 1 of the transaction at 600 are the sink's already")
                .containsExactly("2@600", "3@600", "commit 600", "0@700", "commit 700");
        assertThat(out).filteredOn(m -> m instanceof ChangeEvent).extracting(m -> ((ChangeEvent) m).ordinal())
                .containsExactly(2, 3, 0);
    }

    @Test
    void resumingInsideAStreamedTransactionSpoolsItInsteadOfSendingItProvisionally() {
        assembler.deliverProvisionally(true);
        assembler.resumeAfter(Position.of(Lsn.of(300), 0));
        relation();
        streamStart(50, true);
        streamedInsert(50, "1", 110);
        streamedInsert(50, "2", 120);
        streamStop();
        streamCommit(50, 300);
        assertThat(summary()).containsExactly("2@300", "commit 300");
    }

    @Test
    void afterAResetAStreamedTransactionStartsAfresh() {
        relation();
        streamStart(50, true);
        streamedInsert(50, "1", 110);
        streamStop();
        assembler.reset();
        streamStart(50, true);
        streamedInsert(50, "1", 110);
        streamedInsert(50, "2", 120);
        streamStop();
        streamCommit(50, 300);
        assertThat(summary()).as("the first stream's part is not there twice").containsExactly("1@300", "2@300", "commit 300");
    }

    @Test
    void aDecodingErrorNamesThePosition() {
        assertThatThrownBy(() -> feed(message('I').i32(1), 0x16B3748L))
                .isInstanceOf(PgOutputException.class).hasMessageEndingWith(" at 0/16B3748");
    }

    @Test
    void aSecondStreamedTransactionVoidsTheFirstsProvisionalChanges() {
        assembler.deliverProvisionally(true);
        relation();
        streamStart(50, true);
        streamedInsert(50, "1", 110);
        streamStop();
        streamStart(70, true);
        streamedInsert(70, "7", 120);
        streamStop();
        streamCommit(70, 200);
        streamCommit(50, 300);
        assertThat(summary()).containsExactly("1?", "discard 50", "7@200", "commit 200", "1@300", "commit 300");
    }

    @Test
    void aRollbackVoidsTheProvisionalChangesAndDeliversNothing() {
        assembler.deliverProvisionally(true);
        relation();
        streamStart(50, true);
        streamedInsert(50, "1", 110);
        streamStop();
        streamAbort(50, 50);
        streamStart(80, true);
        streamedInsert(80, "8", 210);
        streamStop();
        streamAbort(80, 80);
        assertThat(summary()).containsExactly("1?", "discard 50", "8?", "discard 80");
    }

    @Test
    void aRolledBackSubtransactionIsLeftOutOfTheTransaction() {
        assembler.deliverProvisionally(true);
        relation();
        streamStart(50, true);
        streamedInsert(50, "1", 110);
        streamedInsert(51, "2", 120);
        streamStop();
        streamAbort(50, 52);
        assertThat(summary()).as("a subtransaction that sent nothing changes nothing").containsExactly("1?", "2?");
        streamAbort(50, 51);
        streamStart(50, false);
        streamedInsert(50, "3", 130);
        streamStop();
        streamCommit(50, 300);
        assertThat(summary()).containsExactly("1?", "2?", "discard 50", "1@300", "3@300", "commit 300");
    }

    @Test
    void aStreamedTransactionTheCheckpointCoversIsNotDeliveredAgain() {
        assembler.deliverProvisionally(true);
        assembler.resumeAfter(Position.afterTransaction(Lsn.of(500)));
        relation();
        streamStart(50, true);
        streamedInsert(50, "1", 110);
        streamStop();
        streamCommit(50, 300);
        assembler.deliverProvisionally(false);
        streamStart(51, true);
        streamedInsert(51, "2", 310);
        streamStop();
        streamCommit(51, 400);
        assertThat(summary()).containsExactly("1?", "discard 50");
    }

    @Test
    void aStreamWhoseFirstBlockNeverCameIsAnError() {
        assertThatThrownBy(() -> streamStart(50, false))
                .isInstanceOf(PgOutputException.class).hasMessageContaining("transaction 50");
    }

    private void relation() {
        feed(message('R').i32(1).string("public").string("users").i8('d').i16(2)
                .i8(1).string("id").i32(23).i32(-1).i8(0).string("data").i32(25).i32(-1), 0);
    }

    private void begin(long finalLsn, int xid) {
        feed(message('B').i64(finalLsn).i64(0).i32(xid), finalLsn - 50);
    }

    private void commit(long commitLsn) {
        feed(message('C').i8(0).i64(commitLsn).i64(commitLsn + 8).i64(0), commitLsn);
    }

    @Test
    void assemblesATransactionWithOrdinalsKeysAndRows() {
        relation();
        begin(200, 9);
        feed(message('I').i32(1).i8('N').i16(2).text("1").text("a"), 110);
        feed(message('U').i32(1).i8('K').i16(2).text("1").i8('n').i8('N').i16(2).text("2").i8('u'), 120);
        feed(message('D').i32(1).i8('K').i16(2).text("2").i8('n'), 130);
        commit(200);

        assertThat(out).hasSize(4);
        ChangeEvent insert = (ChangeEvent) out.get(0);
        assertThat(insert.operation()).isEqualTo(Operation.INSERT);
        assertThat(insert.qualifiedTable()).isEqualTo("public.users");
        assertThat(insert.lsn()).isEqualTo(Lsn.of(110));
        assertThat(insert.commitLsn()).isEqualTo(Lsn.of(200));
        assertThat(insert.xid()).isEqualTo(9);
        assertThat(insert.keyColumns()).containsExactly("id");
        assertThat(insert.newRow().text("data")).isEqualTo("a");
        assertThat(insert.newRow().get("id").orElseThrow().type().oid()).isEqualTo(23);

        ChangeEvent update = (ChangeEvent) out.get(1);
        assertThat(update.ordinal()).isEqualTo(1);
        assertThat(update.oldRow().values()).as("key-only old tuple keeps key columns only").hasSize(1);
        assertThat(update.oldRow().text("id")).isEqualTo("1");
        assertThat(update.unchangedToastColumns()).containsExactly("data");

        ChangeEvent delete = (ChangeEvent) out.get(2);
        assertThat(delete.operation()).isEqualTo(Operation.DELETE);
        assertThat(delete.ordinal()).isEqualTo(2);
        assertThat(delete.newRow()).isNull();
        assertThat(delete.oldRow().text("id")).isEqualTo("2");

        TransactionCommit commit = (TransactionCommit) out.get(3);
        assertThat(commit.xid()).isEqualTo(9);
        assertThat(commit.commitLsn()).isEqualTo(Lsn.of(200));
        assertThat(commit.endLsn()).isEqualTo(Lsn.of(208));
    }

    @Test
    void skipsTransactionsTheCheckpointCovers() {
        assembler.resumeAfter(Position.afterTransaction(Lsn.of(208)));
        begin(200, 1);
        // Described within the skipped transaction, used by the next.
        relation();
        feed(message('I').i32(1).i8('N').i16(2).text("1").text("a"), 110);
        commit(200);
        begin(300, 2);
        feed(message('I').i32(1).i8('N').i16(2).text("2").text("b"), 250);
        commit(300);
        assertThat(out).hasSize(2);
        assertThat(((ChangeEvent) out.get(0)).newRow().text("id")).isEqualTo("2");
        assertThat(((ChangeEvent) out.get(0)).ordinal()).isZero();
    }

    @Test
    void truncateOfSeveralTablesBecomesOneEventEach() {
        relation();
        feed(message('R').i32(2).string("public").string("orders").i8('f').i16(1).i8(1).string("x").i32(23).i32(-1), 0);
        begin(200, 1);
        feed(message('T').i32(2).i8(0).i32(1).i32(2), 150);
        commit(200);
        assertThat(out).hasSize(3);
        assertThat(out.subList(0, 2)).extracting(m -> ((ChangeEvent) m).table()).containsExactly("users", "orders");
        assertThat(out.subList(0, 2)).extracting(m -> ((ChangeEvent) m).operation()).containsOnly(Operation.TRUNCATE);
    }

    @Test
    void aBackfillsWatermarkArrivesInItsTransactionWithItsPositionAndOthersAreIgnored() {
        byte[] content = "nonce:1:0".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        begin(300, 42);
        feed(message('M').i8(1).i64(250).string(io.pgflo.domain.Watermark.PREFIX).i32(content.length).bytes(content), 250);
        commit(300);
        feed(message('M').i8(0).i64(310).string(io.pgflo.domain.Watermark.PREFIX).i32(content.length).bytes(content), 310);
        assertThat(out).hasSize(2);
        assertThat(out.get(0)).isEqualTo(new io.pgflo.domain.Watermark("nonce:1:0", 42, Lsn.of(300),
                java.time.Instant.parse("2000-01-01T00:00:00Z"), 0));
        assertThat(out.get(1)).as("the transaction's commit; the message outside a transaction is not a watermark")
                .isInstanceOf(TransactionCommit.class);
    }

    @Test
    void heartbeatTransactionYieldsOnlyACommit() {
        begin(200, 1);
        feed(message('M').i8(1).i64(150).string(HeartbeatEmitter.PREFIX).i32(0), 150);
        commit(200);
        assertThat(out).singleElement().isInstanceOf(TransactionCommit.class);
    }

    @Test
    void aRowOfTheCaptureTableBecomesADdlEventNamedAsTheTargetKnowsTheTable() {
        assembler.deliverDdl(true);
        captureRelation();
        begin(200, 1);
        feed(message('I').i32(2).i8('N').i16(5).text("16400").text("public").text("users").i8('n')
                .text("{\"table\": \"people\"}"), 150);
        commit(200);
        ChangeEvent ddl = (ChangeEvent) out.get(0);
        assertThat(ddl.operation()).isEqualTo(Operation.DDL);
        assertThat(ddl.table()).isEqualTo("users");
        assertThat(ddl.ddl()).isEqualTo("{\"previous\":null,\"definition\":{\"table\": \"people\"}}");
        assertThat(out.get(1)).isInstanceOf(TransactionCommit.class);
    }

    @Test
    void forgedDdlMessagesAndOtherChangesOfTheCaptureTableAreNotDelivered() {
        assembler.deliverDdl(true);
        captureRelation();
        byte[] content = "public\nusers\nCREATE ROLE pwned SUPERUSER".getBytes(StandardCharsets.UTF_8);
        begin(200, 1);
        feed(message('M').i8(1).i64(150).string(ChangeEventAssembler.DDL_PREFIX).i32(content.length).bytes(content), 150);
        feed(message('D').i32(2).i8('K').i16(5).text("1").i8('n').i8('n').i8('n').i8('n'), 160);
        commit(200);
        assertThat(out).singleElement().isInstanceOf(TransactionCommit.class);
    }

    @Test
    void ddlIsNotDeliveredToAStreamThatDidNotAskForIt() {
        captureRelation();
        begin(200, 1);
        feed(message('I').i32(2).i8('N').i16(5).text("16400").text("public").text("users").i8('n').text("{}"), 150);
        commit(200);
        assertThat(out).singleElement().isInstanceOf(TransactionCommit.class);
    }

    private void captureRelation() {
        feed(message('R').i32(2).string("internal_pg_flo").string("schema_changes").i8('d').i16(5)
                .i8(0).string("table_oid").i32(26).i32(-1).i8(0).string("schema_name").i32(25).i32(-1)
                .i8(0).string("table_name").i32(25).i32(-1).i8(0).string("previous").i32(3802).i32(-1)
                .i8(0).string("definition").i32(3802).i32(-1), 0);
    }

    @Test
    void aChangeToAnUnknownRelationIsAnError() {
        begin(200, 1);
        assertThatThrownBy(() -> feed(message('I').i32(77).i8('N').i16(0), 110))
                .isInstanceOf(PgOutputException.class).hasMessageContaining("relation 77");
    }
}

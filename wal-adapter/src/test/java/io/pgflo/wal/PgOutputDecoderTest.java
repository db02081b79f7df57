package io.pgflo.wal;

import static io.pgflo.wal.PgOutputBytes.message;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgflo.sink.api.Lsn;
import io.pgflo.wal.PgOutputMessage.Begin;
import io.pgflo.wal.PgOutputMessage.Commit;
import io.pgflo.wal.PgOutputMessage.Delete;
import io.pgflo.wal.PgOutputMessage.Insert;
import io.pgflo.wal.PgOutputMessage.LogicalMessage;
import io.pgflo.wal.PgOutputMessage.Origin;
import io.pgflo.wal.PgOutputMessage.Relation;
import io.pgflo.wal.PgOutputMessage.RelationColumn;
import io.pgflo.wal.PgOutputMessage.StreamAbort;
import io.pgflo.wal.PgOutputMessage.StreamCommit;
import io.pgflo.wal.PgOutputMessage.StreamStart;
import io.pgflo.wal.PgOutputMessage.StreamStop;
import io.pgflo.wal.PgOutputMessage.Streamed;
import io.pgflo.wal.PgOutputMessage.Truncate;
import io.pgflo.wal.PgOutputMessage.Type;
import io.pgflo.wal.PgOutputMessage.Update;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class PgOutputDecoderTest {
    private static final long Y2K_MICROS_TO_2026 = (Instant.parse("2026-11-24T12:00:00.123456Z").getEpochSecond() - 946_684_800L)
            * 1_000_000L + 123_456L;
    private final PgOutputDecoder decoder = new PgOutputDecoder();

    @Test
    void decodesBeginWithPostgresEpochMicroseconds() {
        Begin begin = (Begin) decode(message('B').i64(0x16B3748L).i64(Y2K_MICROS_TO_2026).i32(-2));
        assertThat(begin.finalLsn()).isEqualTo(Lsn.parse("0/16B3748"));
        assertThat(begin.commitTime()).isEqualTo(Instant.parse("2026-11-24T12:00:00.123456Z"));
        assertThat(begin.xid()).as("xid is unsigned").isEqualTo(4_294_967_294L);
    }

    @Test
    void decodesTimestampsBeforeThePostgresEpoch() {
        Begin begin = (Begin) decode(message('B').i64(1).i64(-1).i32(1));
        assertThat(begin.commitTime()).isEqualTo(Instant.parse("1999-12-31T23:59:59.999999Z"));
    }

    @Test
    void decodesTheStreamingMessagesOfProtocol2() {
        assertThat(decode(message('S').i32(-5).i8(1))).isEqualTo(new StreamStart(4_294_967_291L, true));
        assertThat(decode(message('S').i32(9).i8(0))).isEqualTo(new StreamStart(9, false));
        StreamCommit commit = (StreamCommit) decode(message('c').i32(9).i8(0).i64(100).i64(180).i64(Y2K_MICROS_TO_2026));
        assertThat(commit).isEqualTo(new StreamCommit(9, 0, Lsn.of(100), Lsn.of(180),
                Instant.parse("2026-11-24T12:00:00.123456Z")));
        assertThat(decode(message('A').i32(9).i32(12))).isEqualTo(new StreamAbort(9, 12));
    }

    @Test
    void messagesWithinAStreamBlockCarryTheXidOfTheirSubtransaction() {
        ByteBuffer insert = message('I').i32(12).i32(16384).i8('N').i16(1).text("7").buffer();
        Streamed streamed = (Streamed) decoder.decode(insert, true);
        assertThat(streamed.xid()).isEqualTo(12);
        assertThat(((Insert) streamed.message()).relationOid()).isEqualTo(16384);
        assertThat(((Insert) streamed.message()).newTuple().text(0)).isEqualTo("7");
        assertThat(insert.hasRemaining()).isFalse();

        Streamed relation = (Streamed) decoder.decode(message('R').i32(9).i32(16384).string("public").string("t").i8('d')
                .i16(1).i8(1).string("id").i32(23).i32(-1).buffer(), true);
        assertThat(((Relation) relation.message()).name()).isEqualTo("t");
        assertThat(decoder.decode(message('E').buffer(), true)).as("the block's end has no xid").isEqualTo(new StreamStop());
        assertThat(decoder.decode(message('O').i64(77).string("upstream").buffer(), true))
                .as("nor has an origin").isEqualTo(new Origin(Lsn.of(77), "upstream"));
    }

    @Test
    void decodesCommit() {
        Commit commit = (Commit) decode(message('C').i8(0).i64(100).i64(180).i64(0));
        assertThat(commit.commitLsn()).isEqualTo(Lsn.of(100));
        assertThat(commit.endLsn()).isEqualTo(Lsn.of(180));
        assertThat(commit.commitTime()).isEqualTo(Instant.parse("2000-01-01T00:00:00Z"));
    }

    @Test
    void decodesRelationWithKeyFlagsAndUnicodeNames() {
        Relation relation = (Relation) decode(message('R').i32(16384).string("Sales Ünit").string("order items").i8('d').i16(2)
                .i8(1).string("id").i32(23).i32(-1)
                .i8(0).string("Name\"Quoted").i32(1043).i32(24));
        assertThat(relation.oid()).isEqualTo(16384);
        assertThat(relation.namespace()).isEqualTo("Sales Ünit");
        assertThat(relation.name()).isEqualTo("order items");
        assertThat(relation.replicaIdentity()).isEqualTo('d');
        assertThat(relation.columns()).containsExactly(
                new RelationColumn(true, "id", 23, -1), new RelationColumn(false, "Name\"Quoted", 1043, 24));
    }

    @Test
    void decodesTypeAndOrigin() {
        assertThat(decode(message('Y').i32(70000).string("public").string("mood"))).isEqualTo(new Type(70000, "public", "mood"));
        assertThat(decode(message('O').i64(5).string("node_a"))).isEqualTo(new Origin(Lsn.of(5), "node_a"));
    }

    @Test
    void decodesInsertWithTextNullAndUnchangedToast() {
        Insert insert = (Insert) decode(message('I').i32(16384).i8('N').i16(4)
                .text("42").i8('n').i8('u').text("émoji 🎉, quote \" and \\ backslash"));
        assertThat(insert.relationOid()).isEqualTo(16384);
        TupleData tuple = insert.newTuple();
        assertThat(tuple.size()).isEqualTo(4);
        assertThat(tuple.kind(0)).isEqualTo(TupleData.TEXT);
        assertThat(tuple.text(0)).isEqualTo("42");
        assertThat(tuple.kind(1)).isEqualTo(TupleData.NULL);
        assertThat(tuple.text(1)).isNull();
        assertThat(tuple.kind(2)).isEqualTo(TupleData.UNCHANGED_TOAST);
        assertThat(tuple.text(3)).isEqualTo("émoji 🎉, quote \" and \\ backslash");
        // The wire's bytes as they came, for the sinks that write them as they are.
        assertThat(tuple.utf8(3)).isEqualTo("émoji 🎉, quote \" and \\ backslash".getBytes(StandardCharsets.UTF_8));
        assertThat(tuple.utf8(1)).isNull();
        assertThat(tuple.utf8(2)).isNull();
    }

    @Test
    void decodesUpdateWithAndWithoutOldTuple() {
        Update plain = (Update) decode(message('U').i32(1).i8('N').i16(1).text("b"));
        assertThat(plain.oldKind()).isEqualTo((char) 0);
        assertThat(plain.oldTuple()).isNull();
        assertThat(plain.newTuple().text(0)).isEqualTo("b");

        Update keyChange = (Update) decode(message('U').i32(1).i8('K').i16(1).text("old").i8('N').i16(1).text("new"));
        assertThat(keyChange.oldKind()).isEqualTo('K');
        assertThat(keyChange.oldTuple().text(0)).isEqualTo("old");
        assertThat(keyChange.newTuple().text(0)).isEqualTo("new");

        Update full = (Update) decode(message('U').i32(1).i8('O').i16(1).text("old").i8('N').i16(1).text("new"));
        assertThat(full.oldKind()).isEqualTo('O');
    }

    @Test
    void decodesDeleteByKeyAndByFullRow() {
        Delete byKey = (Delete) decode(message('D').i32(7).i8('K').i16(2).text("1").i8('n'));
        assertThat(byKey.oldKind()).isEqualTo('K');
        assertThat(byKey.oldTuple().text(0)).isEqualTo("1");
        Delete full = (Delete) decode(message('D').i32(7).i8('O').i16(1).text("1"));
        assertThat(full.oldKind()).isEqualTo('O');
    }

    @Test
    void decodesTruncateOfSeveralTablesWithOptions() {
        Truncate truncate = (Truncate) decode(message('T').i32(2).i8(3).i32(10).i32(11));
        assertThat(truncate.cascade()).isTrue();
        assertThat(truncate.restartIdentity()).isTrue();
        assertThat(truncate.relationOids()).containsExactly(10, 11);
    }

    @Test
    void decodesLogicalMessage() {
        LogicalMessage logical = (LogicalMessage) decode(message('M').i8(1).i64(99).string("pg_flo_ddl").i32(3).bytes(new byte[] {'a', 0, 'b'}));
        assertThat(logical.transactional()).isTrue();
        assertThat(logical.lsn()).isEqualTo(Lsn.of(99));
        assertThat(logical.prefix()).isEqualTo("pg_flo_ddl");
        assertThat(logical.content()).containsExactly('a', 0, 'b');
    }

    @Test
    void decodesFromAnOffsetInsideALargerBuffer() {
        byte[] payload = message('I').i32(3).i8('N').i16(1).text("x").buffer().array();
        byte[] framed = new byte[payload.length + 10];
        System.arraycopy(payload, 0, framed, 10, payload.length);
        ByteBuffer buffer = ByteBuffer.wrap(framed, 10, payload.length).slice();
        assertThat(((Insert) decoder.decode(buffer)).newTuple().text(0)).isEqualTo("x");
    }

    @Test
    void rejectsUnknownAndTruncatedMessagesClearly() {
        assertThatThrownBy(() -> decode(message('Z'))).isInstanceOf(PgOutputException.class).hasMessageContaining("'Z'");
        assertThatThrownBy(() -> decode(message('B').i32(1))).isInstanceOf(PgOutputException.class).hasMessageContaining("truncated");
        assertThatThrownBy(() -> decode(message('I').i32(1).i8('N').i16(1).i8('b').i32(1).i8(0)))
                .isInstanceOf(PgOutputException.class).hasMessageContaining("binary");
        assertThatThrownBy(() -> decode(message('R').i32(1).bytes(new byte[] {'a', 'b'})))
                .isInstanceOf(PgOutputException.class).hasMessageContaining("unterminated");
        assertThatThrownBy(() -> decoder.decode(ByteBuffer.allocate(0)))
                .isInstanceOf(PgOutputException.class).hasMessageContaining("empty");
    }

    @Test
    void rejectsCorruptLengthsBeforeAllocatingThem() {
        // A value of length -1, and of 2 GB in a message of a few bytes.
        assertThatThrownBy(() -> decode(message('I').i32(1).i8('N').i16(1).i8('t').i32(-1)))
                .isInstanceOf(PgOutputException.class).hasMessageContaining("value length -1");
        assertThatThrownBy(() -> decode(message('I').i32(1).i8('N').i16(1).i8('t').i32(Integer.MAX_VALUE).i8('x')))
                .isInstanceOf(PgOutputException.class).hasMessageContaining("value length 2147483647 with 1 bytes left");
        assertThatThrownBy(() -> decode(message('I').i32(1).i8('N').i16(-1)))
                .isInstanceOf(PgOutputException.class).hasMessageContaining("column count -1");
        assertThatThrownBy(() -> decode(message('T').i32(Integer.MAX_VALUE).i8(0).i32(1)))
                .isInstanceOf(PgOutputException.class).hasMessageContaining("relation count");
        assertThatThrownBy(() -> decode(message('M').i8(1).i64(1).bytes(new byte[] {'p', 0}).i32(1 << 30)))
                .isInstanceOf(PgOutputException.class).hasMessageContaining("value length");
    }

    private Object decode(PgOutputBytes bytes) {
        ByteBuffer buffer = bytes.buffer();
        PgOutputMessage message = decoder.decode(buffer);
        assertThat(buffer.hasRemaining()).as("whole message consumed").isFalse();
        return message;
    }
}

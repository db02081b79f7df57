package io.pgflo.nats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgflo.domain.SourceChange;
import io.pgflo.sink.api.Column;
import io.pgflo.sink.api.ColumnType;
import io.pgflo.sink.api.ColumnValue;
import io.pgflo.sink.api.Lsn;
import io.pgflo.sink.api.Operation;
import io.pgflo.sink.api.Position;
import io.pgflo.sink.api.Row;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class WireFormatTest {

    @Test
    void aMessageReadsBackAsTheSameChangesWithTheirTypesAndText() {
        Column doc = new Column("doc", new ColumnType(3802, "jsonb", 3802, 0), false);
        Column tags = new Column("tags", new ColumnType(1009, "_text", 1009, 25), false);
        Row newRow = new Row(List.of(ColumnValue.text(Changes.ID, "7"), ColumnValue.sqlNull(Changes.V),
                ColumnValue.unchangedToastOf(doc), ColumnValue.utf8(tags, "{a,\"b c\",é🐘}".getBytes(StandardCharsets.UTF_8))));
        Row oldKey = new Row(List.of(ColumnValue.text(Changes.ID, "6")));
        SourceChange update = new SourceChange(Operation.UPDATE, "public", "t", Lsn.of(900), Lsn.of(1000), 42,
                Instant.parse("2026-11-24T12:00:00.123456Z"), 3, List.of("id"), newRow, oldKey, null);
        SourceChange ddl = new SourceChange(Operation.DDL, "public", "t", Lsn.of(950), Lsn.of(1000), 42,
                Instant.parse("2026-11-24T12:00:00.123456Z"), 4, List.of(), null, null, "{\"definition\":{}}");
        WireMessage message = new WireMessage(1, 9, Position.of(Lsn.of(500), 2), Position.afterTransaction(Lsn.of(1001)),
                Position.afterTransaction(Lsn.of(1001)), List.of(new PartitionMark(3, Position.START),
                        new PartitionMark(9, Position.afterTransaction(Lsn.of(1001)))),
                List.of(new WireTransaction(42, Lsn.of(1000), update.commitTime(), Lsn.of(1001), List.of(update, ddl))));

        WireMessage read = WireFormat.decode(WireFormat.encode(message));

        assertThat(read).isEqualTo(message);
        SourceChange back = read.transactions().get(0).events().get(0);
        assertThat(back.newRow().values().get(2).unchangedToast()).isTrue();
        assertThat(back.newRow().values().get(1).isNull()).isTrue();
        assertThat(back.newRow().text("tags")).isEqualTo("{a,\"b c\",é🐘}");
        assertThat(back.valueBytes()).isEqualTo(update.valueBytes());
    }

    @Test
    void aMessageNotOursIsRefusedInWords() {
        assertThatThrownBy(() -> WireFormat.decode("hello".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("not a pg_flo message");
        assertThatThrownBy(() -> WireFormat.decode("{\"v\":2}".getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("message version 2");
    }
}

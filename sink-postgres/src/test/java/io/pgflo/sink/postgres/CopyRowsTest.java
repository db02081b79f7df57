package io.pgflo.sink.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgflo.domain.SourceChange;
import io.pgflo.sink.api.ChangeEvent;
import io.pgflo.sink.api.Column;
import io.pgflo.sink.api.ColumnType;
import io.pgflo.sink.api.ColumnValue;
import io.pgflo.sink.api.Lsn;
import io.pgflo.sink.api.Operation;
import io.pgflo.sink.api.Row;
import io.pgflo.sink.api.TableName;
import io.pgflo.sink.postgres.RowChange.Kind;
import io.pgflo.sink.postgres.RowChange.Shape;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** COPY's text format: what PostgreSQL's COPY FROM reads back as exactly the values given. */
class CopyRowsTest {
    private static final Shape SHAPE = new Shape(Kind.UPSERT, new TableName("public", "t"), List.of("id", "v"),
            List.of("integer", "text"), List.of("id"), List.of("integer"), List.of(), List.of(true));

    @Test
    void separatesValuesWithTabsEndsRowsWithNewlinesAndWritesNullAsBackslashN() throws SQLException {
        assertThat(encode(row("1", "plain"), row("2", null), row("3", ""))).isEqualTo("1\tplain\n2\t\\N\n3\t\n");
    }

    @Test
    void escapesBackslashNewlineCarriageReturnAndTab() throws SQLException {
        assertThat(encode(row("1", "a\\b\nc\rd\te \\N \\."))).isEqualTo("1\ta\\\\b\\nc\\rd\\te \\\\N \\\\.\n");
    }

    @Test
    void writesUtf8ForEveryPlane() throws SQLException {
        String value = "h\u00e9llo \u4e2d\u6587 \uD83D\uDC18 Stra\u00dfe";
        assertThat(encode(row("1", value))).isEqualTo("1\t" + value + "\n");
    }

    @Test
    void valuesLargerThanAChunkAreSplitAcrossChunksIntact() throws SQLException {
        String big = ("\u00e9\\\t\uD83D\uDC18 x").repeat(40_000);
        List<Integer> chunks = new ArrayList<>();
        String encoded = encode(chunks, row("1", "small"), row("2", big), row("3", big.substring(0, 30_000)));
        assertThat(encoded).isEqualTo("1\tsmall\n2\t" + escapedBig(big) + "\n3\t" + escapedBig(big.substring(0, 30_000)) + "\n");
        assertThat(chunks).allSatisfy(size -> assertThat(size).isBetween(1, 1 << 16));
        assertThat(chunks.size()).isGreaterThan(1);
    }

    @Test
    void aValueThatTurnsNonAsciiOrSpecialPartWayIsEncodedWholeAtEveryPointOfTheChunk() throws SQLException {
        // The ASCII start of a value is copied as it is; the rest is encoded and escaped. Each length of the filler
        // puts the switch at another place before and across the chunk's end.
        String mixed = "ascii start \u00e9 then \\ and \t and \uD83D\uDC18 end";
        String escaped = "ascii start \u00e9 then \\\\ and \\t and \uD83D\uDC18 end";
        for (int shift = 0; shift < 40; shift++) {
            String filler = "x".repeat((1 << 16) - 30 + shift);
            List<Integer> chunks = new ArrayList<>();
            assertThat(encode(chunks, row("1", filler), row("2", mixed), row("3", "tail\\")))
                    .isEqualTo("1\t" + filler + "\n2\t" + escaped + "\n3\ttail\\\\\n");
            assertThat(chunks).allSatisfy(size -> assertThat(size).isBetween(1, 1 << 16));
        }
    }

    @Test
    void anAsciiValueLargerThanAChunkIsSplitIntact() throws SQLException {
        String big = "0123456789".repeat(20_000);
        List<Integer> chunks = new ArrayList<>();
        assertThat(encode(chunks, row("1", big), row("2", "a"))).isEqualTo("1\t" + big + "\n2\ta\n");
        assertThat(chunks).allSatisfy(size -> assertThat(size).isBetween(1, 1 << 16));
    }

    @Test
    void namesTheColumnsInTheStatement() {
        assertThat(CopyRows.statement(SHAPE)).isEqualTo("COPY \"public\".\"t\" (\"id\", \"v\") FROM STDIN");
    }

    @Test
    void valuesStillInTheWiresUtf8AreWrittenExactlyAsTheirText() throws SQLException {
        String big = ("\u00e9\\\t\uD83D\uDC18 x").repeat(40_000);
        List<String> values = Arrays.asList("plain", null, "", "a\\b\nc\rd\te \\N \\.",
                "h\u00e9llo \u4e2d\u6587 \uD83D\uDC18 Stra\u00dfe", big, "after the big one");
        List<RowChange> asText = new ArrayList<>();
        List<RowChange> asWire = new ArrayList<>();
        for (int i = 0; i < values.size(); i++) {
            asText.add(row(Integer.toString(i), values.get(i)));
            asWire.add(wireRow(Integer.toString(i), values.get(i)));
        }
        assertThat(encode(asWire.toArray(RowChange[]::new))).isEqualTo(encode(asText.toArray(RowChange[]::new)));
    }

    private static String escapedBig(String value) {
        return value.replace("\\", "\\\\").replace("\t", "\\t");
    }

    private static String encode(RowChange... rows) throws SQLException {
        return encode(new ArrayList<>(), rows);
    }

    private static String encode(List<Integer> chunks, RowChange... rows) throws SQLException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        CopyRows.encode(List.of(rows), (bytes, offset, length) -> {
            chunks.add(length);
            out.write(bytes, offset, length);
        });
        return out.toString(StandardCharsets.UTF_8);
    }

    /** A row as the known plans make it: the values read from the wire, their texts not made. */
    private static RowChange wireRow(String id, String value) {
        ChangeEvent event = new SourceChange(Operation.INSERT, "public", "t", Lsn.of(1), Lsn.of(1), 1, Instant.EPOCH, 0,
                List.of("id"), new Row(List.of()), null, null);
        Column idColumn = new Column("id", ColumnType.ofOid(23, "int4"), true);
        Column valueColumn = new Column("v", ColumnType.ofOid(25, "text"), false);
        ColumnValue v = value == null ? ColumnValue.sqlNull(valueColumn)
                : ColumnValue.utf8(valueColumn, value.getBytes(StandardCharsets.UTF_8));
        List<ColumnValue> wire = List.of(ColumnValue.utf8(idColumn, id.getBytes(StandardCharsets.UTF_8)), v);
        return new RowChange(SHAPE, event, new ColumnTexts(wire), List.of(id), true);
    }

    private static RowChange row(String id, String value) {
        ChangeEvent event = new SourceChange(Operation.INSERT, "public", "t", Lsn.of(1), Lsn.of(1), 1, Instant.EPOCH, 0,
                List.of("id"), new Row(List.of()), null, null);
        return new RowChange(SHAPE, event, Arrays.asList(id, value), List.of(id), true);
    }
}

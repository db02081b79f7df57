package io.pgflo.bench.jmh;

import io.pgflo.domain.SourceChange;
import io.pgflo.sink.api.ChangeEvent;
import io.pgflo.sink.api.Column;
import io.pgflo.sink.api.ColumnType;
import io.pgflo.sink.api.ColumnValue;
import io.pgflo.sink.api.Lsn;
import io.pgflo.sink.api.Operation;
import io.pgflo.sink.api.Row;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.List;

/**
 * Rows of the end-to-end benchmark's table ({@code pg_flo_bench_events}) as PostgreSQL's text output sends them,
 * and the change events pg_flo makes of them: the same data the harness measures, for the microbenchmarks.
 */
final class SampleRows {
    static final int RELATION_OID = 16_385;
    static final String SCHEMA = "public";
    static final String TABLE = "pg_flo_bench_events";

    /** The table's columns with the type names {@code format_type} gives. */
    static final List<Column> COLUMNS = List.of(
            new Column("id", ColumnType.ofOid(20, "bigint"), true),
            new Column("name", ColumnType.ofOid(25, "text"), false),
            new Column("amount", ColumnType.ofOid(1700, "numeric"), false),
            new Column("created_at", ColumnType.ofOid(1184, "timestamp with time zone"), false),
            new Column("payload", ColumnType.ofOid(3802, "jsonb"), false),
            new Column("active", ColumnType.ofOid(16, "boolean"), false));
    static final List<String> KEY = List.of("id");

    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    private static final LocalDateTime START = LocalDateTime.of(2024, 1, 1, 0, 0);

    private SampleRows() {}

    /** Row {@code id}'s columns in PostgreSQL's text form, as the workload's INSERT makes them. */
    static String[] texts(long id) {
        return new String[] {
            Long.toString(id),
            "customer-" + id + "-" + md5(Long.toString(id)),
            new BigDecimal(id % 100_000).multiply(new BigDecimal("1.37")).setScale(2).toPlainString(),
            START.plusSeconds(id).format(TIMESTAMP) + "+00",
            "{\"id\": " + id + ", \"qty\": " + id % 7 + ", \"sku\": \"SKU-" + id % 997 + "\", \"tags\": [\"new\", \"web\"], "
                    + "\"nested\": {\"x\": " + id % 13 + ", \"ok\": " + (id % 2 == 0) + "}}",
            id % 3 != 0 ? "t" : "f",
        };
    }

    /** The INSERT event of row {@code id}, as the assembler builds it. */
    static SourceChange insertEvent(long id) {
        String[] texts = texts(id);
        ColumnValue[] values = new ColumnValue[texts.length];
        for (int i = 0; i < texts.length; i++) {
            values[i] = ColumnValue.text(COLUMNS.get(i), texts[i]);
        }
        Lsn commit = Lsn.of(0x3_0000_0000L + id * 64);
        return new SourceChange(Operation.INSERT, SCHEMA, TABLE, Lsn.of(commit.value() - 32), commit, 1_000 + id,
                Instant.parse("2026-11-24T12:00:00.123456Z"), (int) (id % 10), KEY, new Row(List.of(values)), null, null);
    }

    private static String md5(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is missing from this JDK", e);
        }
    }
}

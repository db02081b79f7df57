package io.pgflo.sink.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgflo.sink.api.TableName;
import io.pgflo.testkit.TestPostgres;
import io.pgflo.testkit.TypesFixture;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every value arrives exactly as the source has it: the text form of every column of every row ({@code t::text}, and
 * {@code md5(row_to_json(t)::text)}) is equal on source and target, for a table with more than 40 column types.
 */
class TypeFidelityIT {
    private final TestPostgres sourceServer = TestPostgres.shared();
    private final TestPostgres targetServer = TargetServer.get();





    @Test
    void everyTypeRoundTripsExactly() {
        String source = sourceServer.createDatabase("types_src");
        String target = targetServer.createDatabase("types_dst");
        sourceServer.execute(source, TypesFixture.SCHEMA);
        try (Replication replication = Replication.start(sourceServer, source, targetServer, target, "types", List.of())) {
            sourceServer.execute(source, TypesFixture.ROW_TYPICAL, TypesFixture.ROW_EDGES, TypesFixture.ROW_UNICODE,
                    "INSERT INTO all_types (id) VALUES (4)",
                    // A 1 MB jsonb that compresses badly, so it is stored out of line (TOAST).
                    "INSERT INTO all_types (id, c_jsonb) SELECT 5, jsonb_agg(md5(i::text)) FROM generate_series(1, 30000) i");
            replication.awaitCaughtUp();
            assertSameRows(replication);

            // 60 copies of each small row in one transaction: a run of fresh rows this long goes in with COPY, whose
            // text format has escapes of its own.
            sourceServer.execute(source, "INSERT INTO all_types SELECT (jsonb_populate_record(t, "
                    + "jsonb_build_object('id', t.id + 1000 * g))).* FROM all_types t, generate_series(1, 60) g WHERE t.id <> 5");
            replication.awaitCaughtUp();
            assertSameRows(replication);
            assertThat(Replication.rows(targetServer, target, "SELECT count(*) FROM all_types")).containsExactly("245");

            sourceServer.execute(source,
                    "UPDATE all_types SET c_text = 'updated', c_enum = 'ok', c_int_matrix = '{{9}}' WHERE id = 1",
                    "UPDATE all_types SET (c_smallint, c_bigint, c_numeric, c_real, c_double, c_money, c_text, c_varchar, "
                            + "c_json, c_jsonb, c_xml, c_point, c_hstore, c_text_array, c_composite) = "
                            + "(SELECT c_smallint, c_bigint, c_numeric, c_real, c_double, c_money, c_text, c_varchar, c_json, "
                            + "c_jsonb, c_xml, c_point, c_hstore, c_text_array, c_composite FROM all_types WHERE id = 1) WHERE id = 4",
                    "UPDATE all_types SET c_text = 'small change next to 1 MB' WHERE id = 5",
                    "UPDATE all_types SET c_numeric = NULL, c_text = NULL, c_text_array = NULL WHERE id = 2",
                    "DELETE FROM all_types WHERE id = 3");
            replication.awaitCaughtUp();
            assertSameRows(replication);
            assertThat(Replication.rows(targetServer, target,
                    "SELECT jsonb_array_length(c_jsonb), pg_column_size(c_jsonb) > 1000000 FROM all_types WHERE id = 5"))
                    .containsExactly("30000 | t");
        }
    }

    /** The same rows through an initial copy's bulk load: text COPY here, as some of these types have no binary form. */
    @Test
    void everyTypeRoundTripsExactlyThroughTheBulkCopy() throws Exception {
        String source = sourceServer.createDatabase("types_bulk_src");
        String target = targetServer.createDatabase("types_bulk_dst");
        sourceServer.execute(source, TypesFixture.SCHEMA, TypesFixture.ROW_TYPICAL, TypesFixture.ROW_EDGES, TypesFixture.ROW_UNICODE, "INSERT INTO all_types (id) VALUES (4)",
                "INSERT INTO all_types (id, c_jsonb) SELECT 5, jsonb_agg(md5(i::text)) FROM generate_series(1, 30000) i");
        try (PostgresSink sink = new PostgresSink(PostgresSinkConfig.of(targetServer.endpoint(target), "types_bulk")
                .withSource(sourceServer.endpoint(source), List.of(new TableName("public", "all_types")))
                .withSyncSchema(true).withTrackDdl(false))) {
            assertThat(BulkCopies.copy(sourceServer, source, sink, 8192, "all_types")).isTrue();
        }
        assertSameRows(source, target, "all_types");
    }

    /**
     * Every type with a binary form, at its edges, through binary COPY; and the same values into a target whose
     * column types differ from the source's (staged as the source's types, then cast as an upsert casts them).
     */
    @Test
    void binaryTypesRoundTripExactlyThroughBinaryCopyAndCastThroughStaging() throws Exception {
        String source = sourceServer.createDatabase("types_binary_src");
        String target = targetServer.createDatabase("types_binary_dst");
        String table = """
                CREATE TABLE %s (id int PRIMARY KEY, c_smallint smallint, c_int int, c_bigint bigint, c_oid oid,
                  c_bool boolean, c_real real, c_double double precision, c_numeric numeric, c_numeric_scaled numeric(12, 3),
                  c_text text, c_varchar varchar(20), c_char char(5), c_name name, c_json json, c_jsonb jsonb,
                  c_bytea bytea, c_uuid uuid, c_date date, c_timestamp timestamp, c_timestamptz timestamptz,
                  c_domain positive)""";
        sourceServer.execute(source, "CREATE DOMAIN positive AS integer CHECK (VALUE > 0)",
                table.formatted("binary_types"), table.formatted("staged_types"), """
                INSERT INTO binary_types VALUES
                  (1, -32768, -2147483648, 9223372036854775807, 4294967295, true, 3.4028235e38, 1.7976931348623157e308,
                   123456789012345678901234567890.123456789012345, 1.5, 'plain', 'varchar', 'ab', 'a name',
                   '{"a": [1, 2.50, "x"],   "b": null}', '{"k": "v", "n": 1.50, "u": "\\u00e9"}', '\\x00ff10',
                   'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '2024-02-29', '2000-01-01 00:00:00.123456',
                   '1999-12-31 23:59:59.999999+05:30', 42),
                  (2, 0, 0, -9223372036854775808, 0, false, '-Infinity', 'NaN', 'NaN', -0.001, '', '', '', '', 'null',
                   '"null"', '\\x', '00000000-0000-0000-0000-000000000000', '4713-01-01 BC', 'infinity', '-infinity', 1),
                  (3, 1, 1, 1, 1, false, '-0', 1e-300, 'Infinity', 0, E'tab\\there\\nnewline \\\\ ''q'' \u00e9\uD83D\uDC18',
                   '\uD83D\uDC18', '\u00e9', 'Stra\u00dfe', '"\uD83D\uDC18"', '{"deep": [true, false, null]}', '\\x5c0a09',
                   'A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11', '0001-01-01', '1900-02-28 23:59:59.5', '0044-03-15 12:00:00+00 BC',
                   2147483647),
                  (4, NULL, NULL, NULL, NULL, NULL, NULL, NULL, '-Infinity', -123456.789, NULL, NULL, NULL, NULL, NULL,
                   NULL, NULL, NULL, '5874897-12-31', '294276-12-31 23:59:59.999999', '2038-01-19 03:14:08+14', NULL),
                  (5, 7, 7, 7, 7, true, 0.1, 0.1, 0.00001, 99999.999, 'x', 'y', 'z', 'n', '[]', '{}', '\\xdeadbeef',
                   'ffffffff-ffff-ffff-ffff-ffffffffffff', '1970-01-01', '1970-01-01 00:00:00', '1969-12-31 23:59:59.000001-09:30', 3),
                  (6, 1, 1, 1, 1, true, 1, 1, 10000, 0.5, 'x', 'y', 'z', 'n', '1', '2', '\\x00', NULL,
                   '-infinity', '1999-01-08 04:05:06', '2020-06-01 12:00:00+05:45:30', 4)
                """, "INSERT INTO binary_types SELECT id + 10 * g, c_smallint, c_int, c_bigint, c_oid, c_bool, c_real, "
                        + "c_double, c_numeric, c_numeric_scaled, c_text, c_varchar, c_char, c_name, c_json, c_jsonb, "
                        + "c_bytea, c_uuid, c_date, c_timestamp, c_timestamptz, c_domain FROM binary_types, "
                        + "generate_series(1, 200) g",
                "INSERT INTO staged_types SELECT * FROM binary_types");
        targetServer.execute(target, "CREATE DOMAIN positive AS integer CHECK (VALUE > 0)",
                table.formatted("binary_types"), table.formatted("staged_types")
                        .replace("c_int int", "c_int bigint").replace("c_timestamptz timestamptz", "c_timestamptz timestamp")
                        .replace("c_text text", "c_text varchar"));
        try (PostgresSink sink = BulkCopies.sink(sourceServer, source, targetServer, target, "types_binary",
                CopyExisting.REFUSE, "binary_types", "staged_types")) {
            assertThat(BulkCopies.copy(sourceServer, source, sink, 8192, "binary_types", "staged_types")).isTrue();
        }
        assertSameRows(source, target, "binary_types");
        assertThat(Replication.rows(targetServer, target, "SELECT count(*) FROM staged_types")).containsExactly("1206");
        // The source's rows as the target's columns hold them, cast in a UTC session as the sink's.
        String rest = ", md5(row(c_bigint, c_numeric, c_bytea, c_jsonb, c_date, c_timestamp)::text) FROM staged_types "
                + "ORDER BY id";
        assertThat(Replication.rows(targetServer, target, "SELECT id, c_int, c_timestamptz, c_text" + rest))
                .containsExactlyElementsOf(Replication.rows(sourceServer, source, "SELECT id, c_int::bigint, "
                        + "c_timestamptz AT TIME ZONE 'UTC', c_text::varchar" + rest));
    }

    private void assertSameRows(String source, String target, String table) {
        for (String query : List.of("SELECT id, md5(row_to_json(t)::text) FROM " + table + " t ORDER BY id",
                "SELECT * FROM " + table + " t WHERE id <> 5 ORDER BY id")) {
            assertThat(Replication.rows(targetServer, target, query)).as(query)
                    .containsExactlyElementsOf(Replication.rows(sourceServer, source, query));
        }
    }

    private void assertSameRows(Replication replication) {
        replication.assertSameTable("all_types");
        replication.assertSame("SELECT id, md5(row_to_json(t)::text) FROM all_types t ORDER BY id");
        // Column by column too (getString gives each type's output function text), so a difference shows the column.
        // Not ::text: for xml that cast shows the stored text, and an <?xml version="1.0"?> declaration without
        // encoding is something xml's output function, and so the replication stream, leaves out.
        replication.assertSame("SELECT * FROM all_types WHERE id <> 5 ORDER BY id");
    }
}

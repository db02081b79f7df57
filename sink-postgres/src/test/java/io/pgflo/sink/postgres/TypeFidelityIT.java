package io.pgflo.sink.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgflo.sink.api.TableName;
import io.pgflo.testkit.TestPostgres;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every value arrives exactly as the source has it: the text form of every column of every row ({@code t::text}, and
 * {@code md5(row_to_json(t)::text)}) is equal on source and target, for a table with more than 40 column types.
 */
class TypeFidelityIT {
    private final TestPostgres sourceServer = TestPostgres.shared();
    private final TestPostgres targetServer = TargetServer.get();

    static final String SCHEMA = """
            CREATE EXTENSION hstore;
            CREATE EXTENSION citext;
            CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy, really');
            CREATE DOMAIN positive AS integer CHECK (VALUE > 0);
            CREATE DOMAIN short_code AS varchar(8) NOT NULL DEFAULT 'none';
            CREATE TYPE address AS (street text, number int, mood mood, tags text[]);
            CREATE TYPE float_range AS RANGE (subtype = float8);
            CREATE TABLE all_types (
              id int PRIMARY KEY,
              c_smallint smallint, c_bigint bigint, c_numeric numeric, c_numeric_scaled numeric(12, 3),
              c_real real, c_double double precision, c_money money,
              c_text text, c_varchar varchar(20), c_char char(5), c_name name, c_qchar "char", c_citext citext,
              c_bool boolean, c_bytea bytea,
              c_date date, c_time time, c_timetz timetz, c_timestamp timestamp, c_timestamp3 timestamp(3),
              c_timestamptz timestamptz, c_interval interval,
              c_uuid uuid, c_json json, c_jsonb jsonb, c_xml xml,
              c_inet inet, c_cidr cidr, c_macaddr macaddr, c_macaddr8 macaddr8,
              c_bit bit(3), c_varbit varbit(16),
              c_tsvector tsvector, c_tsquery tsquery,
              c_point point, c_line line, c_lseg lseg, c_box box, c_path path, c_polygon polygon, c_circle circle,
              c_int4range int4range, c_numrange numrange, c_tstzrange tstzrange, c_daterange daterange,
              c_multirange int4multirange, c_float_range float_range,
              c_enum mood, c_domain positive, c_code short_code, c_composite address, c_hstore hstore,
              c_text_array text[], c_int_matrix int[], c_enum_array mood[], c_composite_array address[],
              c_char_array char(2)[], c_bit_array bit(2)[], c_jsonb_array jsonb[],
              c_pg_lsn pg_lsn, c_oid oid, c_txid_snapshot txid_snapshot
            );
            """;

    static final String ROW_TYPICAL = """
            INSERT INTO all_types VALUES (1,
              -32768, 9223372036854775807, 123456789012345678901234567890.123456789012345, 1.5,
              3.4028235e38, 1.7976931348623157e308, 1234567.89,
              'plain', 'varchar', 'ab', 'a name', 'x', 'MiXeD CaSe',
              true, '\\x00ff10',
              '2024-02-29', '24:00:00', '12:34:56.789+05:30', '2000-01-01 00:00:00.123456', '2000-01-01 00:00:00.1239',
              '1999-12-31 23:59:59.999999+05:30', '1 year 2 mons 3 days 04:05:06.789',
              'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '{"a": [1, 2.50, "x"],   "b": null}', '{"k": "v", "n": 1.50, "e": [], "u": "\\u00e9"}',
              '<a b="1">text &amp; more</a>',
              '192.168.1.5/24', '10.0.0.0/8', '08:00:2b:01:02:03', '08:00:2b:01:02:03:04:05',
              B'101', B'1101011',
              'a fat cat:1A sat:2,3 on the mat', 'fat & (rat | !cat)',
              '(1.5,2.25)', '{1,2,3}', '[(0,0),(1,1)]', '(1,1),(0,0)', '[(0,0),(1,1),(2,0)]', '((0,0),(1,1),(1,0))', '<(0,0),5>',
              '[1,10)', '(1.5,2.5]', '[2020-01-01 00:00:00+00,infinity)', '[2024-01-01,2024-12-31]',
              '{[1,3),[5,7)}', '[1.5,2.5)',
              'happy, really', 42, 'abc', ROW('Main "St"', 12, 'ok', ARRAY['x', NULL]), 'a=>1, "b c"=>NULL, "d\\"e"=>"f\\\\g"',
              ARRAY['a', NULL, 'NULL', 'null', '', 'with "quotes"', 'back\\slash', '{braces}', 'comma,here', ' spaced '],
              '{{1,2,3},{4,NULL,6}}', ARRAY['sad', 'happy, really']::mood[],
              ARRAY[ROW('a', 1, 'sad', NULL)::address, NULL, ROW(NULL, NULL, NULL, '{}')::address],
              ARRAY['a', 'bc'], ARRAY[B'10', B'01'], ARRAY['{"x": 1}', 'null']::jsonb[],
              '16/B374D848', 12345, '10:20:10,14,15'
            )""";

    static final String ROW_EDGES = """
            INSERT INTO all_types VALUES (2,
              0, -9223372036854775808, 'NaN', -0.001,
              '-Infinity', 'NaN', -0.01,
              '', '', '', '', ' ', '',
              false, '\\x',
              '4713-01-01 BC', '00:00:00', '00:00:00-15:59', 'infinity', '-infinity',
              '-infinity', '-178000000 years',
              '00000000-0000-0000-0000-000000000000', 'null', '"null"',
              '<?xml version="1.0"?><doc>\u00fcnicode \u2603 &lt;</doc>',
              '::1', '::/0', 'ff:ff:ff:ff:ff:ff', '00:00:00:00:00:00:00:00',
              B'000', B'',
              '', '!a',
              '(-0,1e-300)', '{0,-1,0}', '[(1e+300,0),(0,0)]', '(0,0),(0,0)', '((0,0),(1,0))', '((0,0))', '<(1,1),0>',
              'empty', '(,)', '(,)', 'empty',
              '{}', '(,)',
              'sad', 1, 'x', ROW(NULL, NULL, NULL, NULL), '',
              ARRAY[]::text[], '[0:1][5:6]={{7,8},{9,10}}', ARRAY[]::mood[], ARRAY[]::address[],
              ARRAY[]::char(2)[], '{NULL}', '{}',
              '0/0', 0, '1:1:'
            )""";

    static final String ROW_UNICODE = """
            INSERT INTO all_types (id, c_numeric, c_double, c_real, c_text, c_varchar, c_char, c_citext, c_json, c_jsonb,
              c_text_array, c_timestamptz, c_interval, c_money)
            VALUES (3, 'Infinity', 'Infinity', '-0', E'h\u00e9llo w\u00f6rld \uD83D\uDC18 \u4e2d\u6587\\ttab\\nnewline \\\\ ''quote''',
              '\uD83D\uDC18\uD83D\uDC18', '\u00e9', 'Stra\u00dfe', '"\uD83D\uDC18"', '{"\u00e9\u00e8": "\uD83D\uDC18", "nested": {"deep": [true, false, null]}}',
              ARRAY[E'line\\nbreak', E'tab\\t', '\uD83D\uDC18', 'a''b'], '1970-01-01 00:00:00+00', '-1 days +02:03:04', '0')""";

    @Test
    void everyTypeRoundTripsExactly() {
        String source = sourceServer.createDatabase("types_src");
        String target = targetServer.createDatabase("types_dst");
        sourceServer.execute(source, SCHEMA);
        try (Replication replication = Replication.start(sourceServer, source, targetServer, target, "types", List.of())) {
            sourceServer.execute(source, ROW_TYPICAL, ROW_EDGES, ROW_UNICODE,
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
        sourceServer.execute(source, SCHEMA, ROW_TYPICAL, ROW_EDGES, ROW_UNICODE, "INSERT INTO all_types (id) VALUES (4)",
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

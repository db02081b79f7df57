package io.pgflo.testkit;

/**
 * A table with more than 40 column types and rows of typical, edge and non-ASCII values, for the tests that check
 * values arrive exactly as the source has them (streamed, copied, applied to a target).
 */
public final class TypesFixture {
    public static final String SCHEMA = """
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

    public static final String ROW_TYPICAL = """
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

    public static final String ROW_EDGES = """
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

    public static final String ROW_UNICODE = """
            INSERT INTO all_types (id, c_numeric, c_double, c_real, c_text, c_varchar, c_char, c_citext, c_json, c_jsonb,
              c_text_array, c_timestamptz, c_interval, c_money)
            VALUES (3, 'Infinity', 'Infinity', '-0', E'h\u00e9llo w\u00f6rld \uD83D\uDC18 \u4e2d\u6587\\ttab\\nnewline \\\\ ''quote''',
              '\uD83D\uDC18\uD83D\uDC18', '\u00e9', 'Stra\u00dfe', '"\uD83D\uDC18"', '{"\u00e9\u00e8": "\uD83D\uDC18", "nested": {"deep": [true, false, null]}}',
              ARRAY[E'line\\nbreak', E'tab\\t', '\uD83D\uDC18', 'a''b'], '1970-01-01 00:00:00+00', '-1 days +02:03:04', '0')""";

    private TypesFixture() {}
}

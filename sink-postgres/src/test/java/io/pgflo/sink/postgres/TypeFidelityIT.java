package io.pgflo.sink.postgres;

import static org.assertj.core.api.Assertions.assertThat;

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

    private void assertSameRows(Replication replication) {
        replication.assertSameTable("all_types");
        replication.assertSame("SELECT id, md5(row_to_json(t)::text) FROM all_types t ORDER BY id");
        // Column by column too (getString gives each type's output function text), so a difference shows the column.
        // Not ::text: for xml that cast shows the stored text, and an <?xml version="1.0"?> declaration without
        // encoding is something xml's output function, and so the replication stream, leaves out.
        replication.assertSame("SELECT * FROM all_types WHERE id <> 5 ORDER BY id");
    }
}

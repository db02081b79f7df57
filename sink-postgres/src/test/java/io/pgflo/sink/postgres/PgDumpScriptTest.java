package io.pgflo.sink.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgflo.sink.postgres.PgDumpScript.Section;
import org.junit.jupiter.api.Test;

class PgDumpScriptTest {
    private static final String DUMP = """
            --
            -- PostgreSQL database dump
            --

            \\restrict abc123

            SET statement_timeout = 0;
            SELECT pg_catalog.set_config('search_path', '', false);

            --
            -- Name: Items; Type: TABLE; Schema: public; Owner: -
            --

            CREATE TABLE public."Items" (
                id bigint NOT NULL,
                note text DEFAULT 'a;b'
            );

            ALTER TABLE ONLY public."Items" REPLICA IDENTITY FULL;


            --
            -- Name: Items Items_pkey; Type: CONSTRAINT; Schema: public; Owner: -
            --

            ALTER TABLE ONLY public."Items"
                ADD CONSTRAINT "Items_pkey" PRIMARY KEY (id);


            --
            -- Name: Items t1; Type: TRIGGER; Schema: public; Owner: -
            --

            CREATE TRIGGER t1 BEFORE INSERT ON public."Items" FOR EACH ROW EXECUTE FUNCTION public.trg();

            --
            -- PostgreSQL database dump complete
            --

            \\unrestrict abc123
            """;

    @Test
    void cutsADumpIntoItsEntriesAndDropsPsqlMetaCommands() {
        PgDumpScript script = PgDumpScript.parse(DUMP);
        assertThat(script.preamble()).containsExactly("SET statement_timeout = 0",
                "SELECT pg_catalog.set_config('search_path', '', false)");
        assertThat(script.sections()).extracting(Section::type).containsExactly("TABLE", "CONSTRAINT", "TRIGGER");
        Section table = script.sections().get(0);
        assertThat(table.name()).isEqualTo("Items");
        assertThat(table.schema()).isEqualTo("public");
        assertThat(table.statements()).hasSize(2);
        assertThat(table.statements().get(0)).contains("DEFAULT 'a;b'");
        assertThat(script.sections().get(1).name()).isEqualTo("Items Items_pkey");
        assertThat(script.sections().get(2).statements()).singleElement().asString().startsWith("CREATE TRIGGER");
        assertThat(String.join("\n", script.sections().get(2).statements())).doesNotContain("restrict");
    }
}

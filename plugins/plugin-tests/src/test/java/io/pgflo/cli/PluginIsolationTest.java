package io.pgflo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pgflo.domain.Batch;
import io.pgflo.domain.ChangeEvent;
import io.pgflo.domain.Column;
import io.pgflo.domain.ColumnType;
import io.pgflo.domain.ColumnValue;
import io.pgflo.domain.DatabaseEndpoint;
import io.pgflo.domain.Lsn;
import io.pgflo.domain.Operation;
import io.pgflo.domain.Row;
import io.pgflo.domain.Sink;
import io.pgflo.domain.SinkContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The example plugin brings Jackson 2.15 while pg_flo runs 2.18: each uses its own, side by side in one JVM. */
class PluginIsolationTest {

    @Test
    void aPluginUsesItsOwnVersionOfALibraryWeAlsoUse(@TempDir Path dir) throws Exception {
        Files.copy(PluginJars.EXAMPLE, dir.resolve("example.jar"));
        PluginLoader.Scan scan = new PluginLoader(getClass().getClassLoader()).scan(dir);
        assertThat(scan.problems()).isEmpty();
        PluginSinkProvider provider = scan.providers().get(0);
        assertThat(provider.name()).isEqualTo("table-counts");

        Object options = provider.newOptions();
        Path counts = dir.resolve("counts.json");
        options.getClass().getField("countsFile").set(options, counts);
        SinkContext context = new SinkContext("g", dir, new DatabaseEndpoint("localhost", 5432, "d", "u", null, null, null), List.of());
        ClassLoader before = Thread.currentThread().getContextClassLoader();
        try (Sink sink = provider.create(options, context)) {
            sink.writeBatch(new Batch(List.of(insert()), Lsn.of(500)));
            assertThat(sink.lastCheckpoint()).isEqualTo(Lsn.of(500));
        }
        assertThat(Thread.currentThread().getContextClassLoader()).as("context class loader restored").isSameAs(before);

        JsonNode written = new ObjectMapper().readTree(counts.toFile());
        assertThat(written.get("jackson").asText()).as("the plugin's Jackson").startsWith("2.15.");
        assertThat(com.fasterxml.jackson.core.json.PackageVersion.VERSION.toString()).as("ours").startsWith("2.18.");
        assertThat(written.get("counts").get("public.t INSERT").asLong()).isEqualTo(1);
        assertThat(options.getClass().getClassLoader()).as("plugin classes come from the plugin's loader")
                .isInstanceOf(PluginClassLoader.class);
    }

    private static ChangeEvent insert() {
        Column id = new Column("id", new ColumnType(23, "integer", 23, 0), true);
        return new ChangeEvent(Operation.INSERT, "public", "t", Lsn.of(400), Lsn.of(450), 1, Instant.EPOCH, 0, List.of("id"),
                new Row(List.of(ColumnValue.text(id, "1"))), null, null);
    }
}

package io.pgflo.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pgflo.domain.SourceChange;
import io.pgflo.sink.api.Batch;
import io.pgflo.sink.api.Position;
import io.pgflo.sink.api.ChangeEvent;
import io.pgflo.sink.api.Column;
import io.pgflo.sink.api.ColumnType;
import io.pgflo.sink.api.ColumnValue;
import io.pgflo.sink.api.Lsn;
import io.pgflo.sink.api.Operation;
import io.pgflo.sink.api.OptionValues;
import io.pgflo.sink.api.Row;
import io.pgflo.sink.api.Sink;
import io.pgflo.sink.api.SinkContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
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

        Path counts = dir.resolve("counts.json");
        OptionValues options = OptionValues.parse(provider.options(), Map.of("counts-file", List.of(counts.toString())));
        SinkContext context = new SinkContext("g", dir, List.of());
        ClassLoader before = Thread.currentThread().getContextClassLoader();
        try (Sink sink = provider.create(options, context)) {
            sink.writeBatch(Batch.of(List.of(insert()), Lsn.of(500)));
            assertThat(sink.lastCheckpoint()).isEqualTo(Position.afterTransaction(Lsn.of(500)));
        }
        assertThat(Thread.currentThread().getContextClassLoader()).as("context class loader restored").isSameAs(before);

        JsonNode written = new ObjectMapper().readTree(counts.toFile());
        assertThat(written.get("jackson").asText()).as("the plugin's Jackson").startsWith("2.15.");
        assertThat(com.fasterxml.jackson.core.json.PackageVersion.VERSION.toString()).as("ours").startsWith("2.18.");
        assertThat(written.get("counts").get("public.t INSERT").asLong()).isEqualTo(1);
        assertThat(provider.options().iterator().next().getClass().getClassLoader()).as("sink-api from the host")
                .isSameAs(OptionValues.class.getClassLoader());
        assertThat(provider.delegateClassLoader()).as("plugin classes from the plugin's loader")
                .isInstanceOf(PluginClassLoader.class);
    }

    @Test
    void aPluginCannotLoadTheEnginesClassesOnlyTheSinkApi(@TempDir Path dir) throws Exception {
        Files.copy(PluginJars.EXAMPLE, dir.resolve("example.jar"));
        PluginSinkProvider provider = new PluginLoader(getClass().getClassLoader()).scan(dir).providers().get(0);
        ClassLoader plugin = provider.delegateClassLoader();
        assertThat(plugin.loadClass("io.pgflo.sink.api.ChangeEvent")).isSameAs(ChangeEvent.class);
        assertThat(plugin.loadClass("java.util.List")).isSameAs(List.class);
        for (String engine : List.of("io.pgflo.domain.Pipeline", "io.pgflo.domain.SourceChange", "io.pgflo.cli.Main",
                "io.pgflo.json.EventJsonEncoder", "com.google.inject.Guice")) {
            assertThatThrownBy(() -> plugin.loadClass(engine)).as(engine).isInstanceOf(ClassNotFoundException.class)
                    .hasMessageContaining("is in neither plugin example.jar nor the JDK");
        }
    }

    private static SourceChange insert() {
        Column id = new Column("id", new ColumnType(23, "integer", 23, 0), true);
        return new SourceChange(Operation.INSERT, "public", "t", Lsn.of(400), Lsn.of(450), 1, Instant.EPOCH, 0, List.of("id"),
                new Row(List.of(ColumnValue.text(id, "1"))), null, null);
    }
}

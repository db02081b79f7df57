package io.pgflo.sink.stdout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgflo.sink.api.Lsn;
import io.pgflo.sink.api.Position;
import io.pgflo.sink.api.OptionValues;
import io.pgflo.sink.api.Sink;
import io.pgflo.sink.api.SinkContext;
import io.pgflo.sink.api.SinkProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code pg_flo stream stdout}: found by name, no options of its own. */
class StdoutSinkProviderTest {
    @TempDir
    Path temp;

    private static SinkProvider found() {
        return ServiceLoader.load(SinkProvider.class).stream()
                .map(ServiceLoader.Provider::get)
                .filter(provider -> provider.name().equals("stdout"))
                .findFirst()
                .orElseThrow();
    }

    @Test
    void isFoundByServiceLoaderAsStdoutWithoutOptions() {
        SinkProvider provider = found();

        assertThat(provider).isInstanceOf(StdoutSinkProvider.class);
        assertThat(provider.description()).isNotBlank();
        assertThat(provider.options().isEmpty()).isTrue();
        assertThatThrownBy(() -> OptionValues.parse(provider.options(), Map.of("output-dir", List.of("x"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown option --output-dir");
    }

    @Test
    void makesASinkThatResumesFromItsStatusFile() throws Exception {
        SinkProvider provider = found();
        OptionValues options = OptionValues.defaults(provider.options());
        Files.writeString(temp.resolve(StdoutSinkProvider.STATUS_FILE),
                "{\"lsn\":\"0/16B3800\",\"updated_at\":\"2026-11-24T12:00:00Z\"}");

        // close() only flushes: standard output stays open.
        try (Sink sink = provider.create(options, new SinkContext("g", temp, List.of()))) {
            assertThat(sink).isInstanceOf(StdoutSink.class);
            assertThat(sink.lastCheckpoint()).isEqualTo(Position.afterTransaction(Lsn.parse("0/16B3800")));
        }
        assertThat(provider.capturesDdl(options)).isFalse();
        assertThat(provider.acceptsProvisionalChanges(options)).isFalse();
    }
}

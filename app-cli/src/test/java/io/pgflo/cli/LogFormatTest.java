package io.pgflo.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class LogFormatTest {

    @Test
    void theLastFlagWinsThenTheEnvironmentThenText() {
        String[] none = {"status", "--group", "g"};
        assertThat(LogFormat.requested(none, Map.of())).isEqualTo(LogFormat.TEXT);
        assertThat(LogFormat.requested(none, Map.of("PGFLO_LOG_FORMAT", "json"))).isEqualTo(LogFormat.JSON);
        assertThat(LogFormat.requested(new String[] {"stream", "stdout", "--log-format", "json", "--log-format", "text"},
                Map.of("PGFLO_LOG_FORMAT", "json"))).isEqualTo(LogFormat.TEXT);
        assertThat(LogFormat.requested(new String[] {"drop", "--log-format", "JSON"}, Map.of())).isEqualTo(LogFormat.JSON);
    }

    @Test
    void aValueThatIsNoFormatIsTextUntilTheParserRefusesIt() {
        assertThat(LogFormat.requested(new String[] {"status", "--log-format", "xml"}, Map.of())).isEqualTo(LogFormat.TEXT);
        assertThat(LogFormat.requested(new String[] {"status", "--log-format"}, Map.of())).isEqualTo(LogFormat.TEXT);
        assertThatThrownBy(() -> LogFormat.parse("xml")).hasMessage("--log-format must be one of text, json, got 'xml'");
    }
}

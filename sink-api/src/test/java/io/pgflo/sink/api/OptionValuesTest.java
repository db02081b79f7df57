package io.pgflo.sink.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OptionValuesTest {
    private static final Option<String> URL = Option.text("url").required().description("where to send").build();
    private static final Option<Integer> LANES = Option.wholeNumber("lanes", 1, 64).defaultValue(4).build();
    private static final Option<Boolean> COMPRESS = Option.bool("compress").build();
    private static final Option<Duration> AGE = Option.duration("max-age").defaultValue(Duration.ofHours(1)).build();
    private static final Option<Long> SIZE = Option.byteSize("max-size").defaultValue(100L << 20).build();
    private static final Option<String> MODE = Option.choice("mode", "fast", "safe").defaultValue("safe").build();
    private static final Option<String> SECRET = Option.text("secret").secret().build();
    private static final Option<String> HEADER = Option.text("header").repeatable().build();
    private static final Option<Path> DIR = Option.path("dir").build();
    private static final OptionSet ALL = OptionSet.of(URL, LANES, COMPRESS, AGE, SIZE, MODE, SECRET, HEADER, DIR);

    @Test
    void givenValuesAreParsedAndTheRestTakeTheirDefaults() {
        OptionValues values = OptionValues.parse(ALL, Map.of("url", List.of("http://x"), "lanes", List.of("8"),
                "compress", List.of("true"), "max-age", List.of("1h30m"), "max-size", List.of("512KB"),
                "dir", List.of("/tmp/out")));
        assertThat(values.get(URL)).isEqualTo("http://x");
        assertThat(values.get(LANES)).isEqualTo(8);
        assertThat(values.get(COMPRESS)).isTrue();
        assertThat(values.get(AGE)).isEqualTo(Duration.ofMinutes(90));
        assertThat(values.get(SIZE)).isEqualTo(512L * 1024);
        assertThat(values.get(MODE)).isEqualTo("safe");
        assertThat(values.get(SECRET)).isNull();
        assertThat(values.get(DIR)).isEqualTo(Path.of("/tmp/out"));
        assertThat(values.isGiven(LANES)).isTrue();
        assertThat(values.isGiven(MODE)).isFalse();
    }

    @Test
    void badValuesAreOneLineThatNamesTheFlag() {
        assertThatThrownBy(() -> parse("lanes", "0")).hasMessage("--lanes must be a whole number from 1 to 64, got '0'");
        assertThatThrownBy(() -> parse("lanes", "99999999999")).hasMessageStartingWith("--lanes must be a whole number");
        assertThatThrownBy(() -> parse("compress", "maybe")).hasMessage("--compress must be true or false, got 'maybe'");
        assertThatThrownBy(() -> parse("max-age", "-5s")).hasMessageStartingWith("--max-age must be");
        assertThatThrownBy(() -> parse("max-size", "0")).hasMessageStartingWith("--max-size must be at least 1 byte");
        assertThatThrownBy(() -> parse("mode", "quick")).hasMessage("--mode must be one of fast, safe, got 'quick'");
        assertThatThrownBy(() -> parse("nope", "1")).hasMessage("unknown option --nope");
        assertThatThrownBy(() -> OptionValues.parse(ALL, Map.of()))
                .hasMessage("missing required flag --url (where to send)");
    }

    @Test
    void aRepeatableOptionKeepsEveryValueAndOthersTheLast() {
        OptionValues values = OptionValues.parse(ALL, Map.of("url", List.of("http://a", "http://b"),
                "header", List.of("A: 1", "B: 2")));
        assertThat(values.get(URL)).isEqualTo("http://b");
        assertThat(values.all(HEADER)).containsExactly("A: 1", "B: 2");
    }

    @Test
    void secretsNeverShow() {
        OptionValues values = OptionValues.parse(ALL, Map.of("url", List.of("http://a"), "secret", List.of("hunter2")));
        assertThat(values.describe()).containsEntry("secret", "****").containsEntry("lanes", "4")
                .containsEntry("max-age", "1h").containsEntry("max-size", "100MB");
        assertThat(values.toString()).doesNotContain("hunter2");
    }

    @Test
    void declarationsAreChecked() {
        assertThatThrownBy(() -> Option.text("--url").build()).hasMessageContaining("without leading dashes");
        assertThatThrownBy(() -> Option.text("Url").build()).hasMessageContaining("lower-case");
        assertThatThrownBy(() -> OptionSet.of(URL, Option.text("url").build())).hasMessage("option --url is declared twice");
        assertThat(LANES.environmentVariable()).isEqualTo("PGFLO_LANES");
        assertThat(AGE.environmentVariable()).isEqualTo("PGFLO_MAX_AGE");
    }

    @Test
    void anOptionOfAnotherSinkIsRefused() {
        OptionValues values = OptionValues.defaults(OptionSet.of(LANES));
        assertThatThrownBy(() -> values.get(URL)).hasMessageContaining("not one of this sink's declared options");
    }

    private static OptionValues parse(String name, String text) {
        return OptionValues.parse(ALL, Map.of("url", List.of("http://x"), name, List.of(text)));
    }
}

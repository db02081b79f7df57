package io.pgflo.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GrowingLineCountTest {
    @Test
    void countsOnlyCompleteLinesAddedSinceTheLastCallAcrossFiles(@TempDir Path directory) throws Exception {
        Path first = directory.resolve("pg_flo_log_1.jsonl");
        Files.writeString(first, "{\"a\":1}\n{\"a\":2}\n{\"a\":");
        Files.writeString(directory.resolve("status.json"), "{\"lsn\":\"0/1\"}\n");
        GrowingLineCount count = new GrowingLineCount(directory);

        assertThat(count.lines()).isEqualTo(2);

        Files.writeString(first, "3}\n", StandardOpenOption.APPEND);
        Files.writeString(directory.resolve("pg_flo_log_2.jsonl"), "{\"a\":4}\n");

        assertThat(count.lines()).isEqualTo(4);
        assertThat(count.lines()).isEqualTo(4);
    }
}

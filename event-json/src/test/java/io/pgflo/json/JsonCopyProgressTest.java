package io.pgflo.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgflo.domain.CopyState;
import io.pgflo.sink.api.Lsn;
import io.pgflo.sink.api.TableName;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonCopyProgressTest {

    @Test
    void keepsTheConsistentPointAndTheFinishedTablesWhateverTheirNamesUntilComplete(@TempDir Path dir) throws Exception {
        JsonCopyProgress progress = new JsonCopyProgress(dir);
        assertThat(progress.load()).as("no copy began").isEmpty();

        LinkedHashSet<TableName> finished = new LinkedHashSet<>(List.of(new TableName("public", "users"),
                new TableName("we\"ird.schema", "a \"table\", with.dots")));
        progress.save(new CopyState(Lsn.parse("0/16B3748"), finished));

        assertThat(new JsonCopyProgress(dir).load()).contains(new CopyState(Lsn.parse("0/16B3748"), finished));
        assertThat(Files.readString(dir.resolve(JsonCopyProgress.FILE))).contains("\"state\":\"copying\"")
                .contains(":\"\\\"public\\\".\\\"users\\\"\"");

        progress.complete();
        assertThat(new JsonCopyProgress(dir).load()).as("a completed copy is not under way").isEmpty();
    }

    @Test
    void aDamagedFileSaysHowToStartOver(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve(JsonCopyProgress.FILE), "{\"lsn\":\"0/1\",\"state\":\"copying\",\"finished.0\":\"public.users\"}");
        assertThatThrownBy(() -> new JsonCopyProgress(dir).load()).hasMessageContaining("public.users")
                .hasMessageContaining("delete it to copy every table again");
    }
}

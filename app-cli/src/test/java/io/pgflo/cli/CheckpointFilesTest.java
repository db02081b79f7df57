package io.pgflo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgflo.json.JsonCopyProgress;
import io.pgflo.json.JsonStatusFile;
import io.pgflo.sink.api.Lsn;
import io.pgflo.sink.api.Position;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointFilesTest {

    @Test
    void readsEverySinksCheckpointAndTheCopysProgressAsTheSinksWroteThem(@TempDir Path dir) throws Exception {
        new JsonStatusFile(dir.resolve("pg_flo_stdout_last_lsn.json")).save(Position.afterTransaction(Lsn.parse("0/16B3748")));
        new JsonStatusFile(dir.resolve("pg_flo_file_last_lsn.json")).save(new JsonStatusFile.StatusRecord(
                Position.parse("0/2000000#7"), Map.of("file", "out-1.jsonl", "offset", "123")));
        new JsonCopyProgress(dir).complete();
        Files.writeString(dir.resolve("pg_flo_webhook_last_lsn.json"), "{\"lsn\":");
        Files.writeString(dir.resolve("pg_flo_stdout_last_lsn.json.tmp"), "left by a crash");
        Files.writeString(dir.resolve("notes.txt"), "not a checkpoint");

        var checkpoints = CheckpointFiles.read(dir);

        assertThat(checkpoints).extracting(CheckpointFiles.Checkpoint::sink)
                .containsExactly("file", "stdout", "webhook", "copy");
        var file = checkpoints.get(0);
        assertThat(file.lsn()).isEqualTo(Lsn.parse("0/2000000"));
        assertThat(file.fields()).containsEntry("ordinal", "7").containsEntry("file", "out-1.jsonl")
                .containsEntry("offset", "123").containsKey("updated_at");
        assertThat(checkpoints.get(1).lsn()).isEqualTo(Lsn.parse("0/16B3748"));
        assertThat(checkpoints.get(1).problem()).isNull();
        assertThat(checkpoints.get(2).lsn()).isNull();
        assertThat(checkpoints.get(2).problem()).startsWith("not valid JSON");
        assertThat(checkpoints.get(3).fields()).containsEntry("state", "complete");
    }

    @Test
    void aMissingDirectoryHasNoCheckpointsAndIsNotCreated(@TempDir Path dir) {
        Path missing = dir.resolve("nowhere");
        assertThat(CheckpointFiles.read(missing)).isEmpty();
        assertThat(missing).doesNotExist();
    }

    @Test
    void byteSizesReadLikePostgresWritesThem() {
        assertThat(ByteSize.human(0)).isEqualTo("0 B");
        assertThat(ByteSize.human(1023)).isEqualTo("1023 B");
        assertThat(ByteSize.human(1536)).isEqualTo("1.5 kB");
        assertThat(ByteSize.human(16L * 1024 * 1024)).isEqualTo("16.0 MB");
    }
}

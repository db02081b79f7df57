package io.pgflo.wal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgflo.sink.api.Lsn;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TransactionSpoolTest {
    private static final long XID = 700;

    @TempDir
    Path directory;

    @ParameterizedTest(name = "memory limit {0} bytes")
    @ValueSource(ints = {1 << 20, 64})
    void replaysWhatItKeptInOrderFromMemoryOrFromItsFile(int memoryLimit) throws Exception {
        try (TransactionSpool spool = new TransactionSpool(XID, directory, memoryLimit)) {
            for (int i = 0; i < 500; i++) {
                spool.append(XID, Lsn.of(1000 + i), message("change " + i));
            }
            // Larger than the file buffer: written and read back across its boundaries.
            spool.append(XID, Lsn.of(9999), message("x".repeat(200_000)));
            assertThat(spool.messages()).isEqualTo(501);
            List<String> replayed = replay(spool);
            assertThat(replayed).hasSize(501);
            assertThat(replayed.get(0)).isEqualTo("1000 change 0");
            assertThat(replayed.get(499)).isEqualTo("1499 change 499");
            assertThat(replayed.get(500)).hasSize(5 + 200_000);
            assertThat(replay(spool)).as("a second replay").isEqualTo(replayed);
            assertThat(files()).as("the file, if any, is unlinked while open: a killed process leaves nothing").isEmpty();
        }
        assertThat(files()).as("closed: the file is gone").isEmpty();
    }

    @ParameterizedTest(name = "memory limit {0} bytes")
    @ValueSource(ints = {1 << 20, 64})
    void aRolledBackSubtransactionIsCutOffWithEverythingAfterIt(int memoryLimit) {
        try (TransactionSpool spool = new TransactionSpool(XID, directory, memoryLimit)) {
            spool.append(XID, Lsn.of(1), message("top a"));
            spool.append(701, Lsn.of(2), message("sub1 b"));
            spool.append(XID, Lsn.of(3), message("top c"));
            spool.append(702, Lsn.of(4), message("sub2 d"));
            spool.append(703, Lsn.of(5), message("sub3 e"));
            assertThat(spool.abortSubtransaction(799)).as("a subtransaction that sent nothing").isFalse();
            assertThat(spool.abortSubtransaction(702)).isTrue();
            assertThat(replay(spool)).containsExactly("1 top a", "2 sub1 b", "3 top c");
            assertThat(spool.messages()).isEqualTo(3);
            assertThat(spool.abortSubtransaction(703)).as("cut with the one before it").isFalse();

            spool.append(704, Lsn.of(6), message("sub4 f"));
            spool.append(XID, Lsn.of(7), message("top g"));
            assertThat(replay(spool)).containsExactly("1 top a", "2 sub1 b", "3 top c", "6 sub4 f", "7 top g");
            assertThat(spool.abortSubtransaction(701)).isTrue();
            assertThat(replay(spool)).containsExactly("1 top a");
            assertThat(spool.messages()).isEqualTo(1);
        }
    }

    @Test
    void aDirectoryItCannotWriteIsAnErrorThatSaysWhichTransactionAndWhere() {
        Path missing = directory.resolve("missing");
        try (TransactionSpool spool = new TransactionSpool(XID, missing, 64)) {
            assertThatThrownBy(() -> spool.append(XID, Lsn.of(1), message("x".repeat(100))))
                    .isInstanceOf(UncheckedIOException.class)
                    .hasMessageContaining("cannot spool transaction 700 to a file in " + missing);
        }
    }

    private static ByteBuffer message(String text) {
        byte[] bytes = ("##" + text).getBytes(StandardCharsets.UTF_8);
        // Positioned past a prefix, as a buffer the reader hands over may be: only the remaining bytes are kept.
        return ByteBuffer.wrap(bytes).position(2);
    }

    private static List<String> replay(TransactionSpool spool) {
        List<String> out = new ArrayList<>();
        spool.replay((lsn, message) -> {
            byte[] bytes = new byte[message.remaining()];
            message.get(bytes);
            out.add(lsn.value() + " " + new String(bytes, StandardCharsets.UTF_8));
        });
        return out;
    }

    private List<Path> files() throws Exception {
        try (Stream<Path> files = Files.list(directory)) {
            return files.toList();
        }
    }
}

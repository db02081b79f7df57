package io.pgflo.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GcLogTest {
    @Test
    void takesThePeakHeapInUseAndSumsThePauses(@TempDir Path directory) throws Exception {
        Path log = directory.resolve("gc.log");
        Files.writeString(log, """
                [0.010s][info][gc] Using G1
                [1.204s][info][gc] GC(0) Pause Young (Normal) (G1 Evacuation Pause) 25M->3M(512M) 2.500ms
                [2.815s][info][gc] GC(1) Pause Young (Normal) (G1 Evacuation Pause) 310M->12M(512M) 4.250ms
                [3.100s][info][gc] GC(2) Pause Remark 1024K->1000K(512M) 0.250ms
                """);

        GcLog gc = GcLog.read(log);

        assertThat(gc.collections()).isEqualTo(3);
        assertThat(gc.peakHeapMb()).isEqualTo(310);
        assertThat(gc.heapLimitMb()).isEqualTo(512);
        assertThat(gc.pauseMillis()).isEqualTo(7.0);
    }

    @Test
    void aMissingLogSaysNothing(@TempDir Path directory) {
        assertThat(GcLog.read(directory.resolve("none.log")).peakHeapMb()).isNull();
    }
}

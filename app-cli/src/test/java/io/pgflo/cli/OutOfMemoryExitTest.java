package io.pgflo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgflo.domain.PipelineStats;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The line's text, and what does not end the process; the exit itself is OutOfMemoryIT's (it halts the JVM). */
class OutOfMemoryExitTest {
    private static final OutOfMemoryExit.Line LINE = OutOfMemoryExit.Line.of(HeapSetting.of(List.of("-Xmx512m"), 512L << 20));

    @Test
    void outsideAStreamTheLineNamesTheHeapAndWhatToRaise() {
        assertThat(LINE.text(null))
                .isEqualTo("pg_flo: out of memory (heap 512 MB, -Xmx512m); raise the heap with PGFLO_JAVA_OPTS=-Xmx2g");
    }

    @Test
    void beforeAnythingIsDurableAStreamResumesFromTheSlot() {
        assertThat(LINE.text(new PipelineStats())).isEqualTo("pg_flo: out of memory (heap 512 MB, -Xmx512m); the stream "
                + "resumes from the replication slot's position when restarted; raise the heap with PGFLO_JAVA_OPTS=-Xmx2g");
    }

    @Test
    void otherFailuresAreLeftToTheirHandlers() {
        OutOfMemoryExit.exitIfCausedBy(new IllegalStateException("sink failed", new UncheckedIOException(new IOException("disk full"))));
        OutOfMemoryExit.exitIfCausedBy(new StackOverflowError());
    }
}

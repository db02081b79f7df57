package io.pgflo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class HeapSettingTest {
    private static final long MB = 1L << 20;

    @Test
    void namesTheOptionThatSetTheHeapAndSuggestsFourTimesIt() {
        HeapSetting heap = HeapSetting.of(List.of("-XX:SharedArchiveFile=x.jsa", "-Xmx512m", "-XX:+UseParallelGC"), 512 * MB);

        assertThat(heap.describe()).isEqualTo("heap 512 MB, -Xmx512m");
        assertThat(heap.larger()).isEqualTo("-Xmx2g");
        assertThat(HeapSetting.of(List.of("-Xmx48m"), 48 * MB).larger()).isEqualTo("-Xmx192m");
        assertThat(HeapSetting.of(List.of("-Xmx300m"), 300 * MB).larger()).as("whole gigabytes, rounded up").isEqualTo("-Xmx2g");
    }

    @Test
    void theLastSizeWinsAndASizeWinsOverAShareOfMemoryAsInTheJvm() {
        assertThat(HeapSetting.of(List.of("-Xmx1g", "-XX:MaxHeapSize=768m"), 768 * MB).option()).isEqualTo("-XX:MaxHeapSize=768m");
        assertThat(HeapSetting.of(List.of("-Xmx1g", "-XX:MaxRAMPercentage=50"), 1024 * MB).option()).isEqualTo("-Xmx1g");
        assertThat(HeapSetting.of(List.of("-XX:MaxRAMPercentage=10"), 2412 * MB).describe())
                .isEqualTo("heap 2412 MB, -XX:MaxRAMPercentage=10");
    }

    @Test
    void withoutAnOptionItIsTheJvmsDefaultAndWithoutArgumentsTheLimitAlone() {
        assertThat(HeapSetting.of(List.of(), 6028 * MB).describe()).isEqualTo("heap 6028 MB, the JVM's default");
        assertThat(HeapSetting.of(List.of(), 6028 * MB).larger()).isEqualTo("-Xmx24g");
        assertThat(new HeapSetting(447 * MB, null).describe()).isEqualTo("heap 447 MB");
    }
}

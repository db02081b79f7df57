package io.pgflo.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PositionSetTest {
    @Test
    void countsEachPositionOnceAndGrowsPastItsFirstSize() {
        PositionSet set = new PositionSet(16);
        for (long lsn = 0; lsn < 10_000; lsn++) {
            assertThat(set.add(22_004_856 + lsn * 216)).isTrue();
        }
        assertThat(set.add(22_004_856)).isFalse();
        assertThat(set.add(22_004_856 + 9_999 * 216)).isFalse();

        assertThat(set.size()).isEqualTo(10_000);
    }
}

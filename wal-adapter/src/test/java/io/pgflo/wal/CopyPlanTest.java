package io.pgflo.wal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

import io.pgflo.domain.CopyChunk;
import io.pgflo.sink.api.TableName;
import java.util.List;
import org.junit.jupiter.api.Test;

class CopyPlanTest {
    private static final TableName T = new TableName("public", "t");

    @Test
    void splitsPagesIntoPartsOfTheGivenSizeTheLastOpen() {
        assertThat(CopyPlan.byPages(T, 10, 4)).containsExactly(
                new CopyChunk(T, 0, 3, 0, 4), new CopyChunk(T, 1, 3, 4, 8), new CopyChunk(T, 2, 3, 8, CopyChunk.OPEN));
        assertThat(CopyPlan.byPages(T, 8, 4)).extracting(CopyChunk::start, CopyChunk::end)
                .containsExactly(tuple(0L, 4L),
                        tuple(4L, CopyChunk.OPEN));
    }

    @Test
    void anEmptyOrSmallTableIsOneOpenPartFromPageZero() {
        assertThat(CopyPlan.byPages(T, 0, 4)).containsExactly(new CopyChunk(T, 0, 1, 0, CopyChunk.OPEN));
        assertThat(CopyPlan.byPages(T, 3, 4)).containsExactly(new CopyChunk(T, 0, 1, 0, CopyChunk.OPEN));
    }

    @Test
    void aPartHasAtLeastOnePage() {
        List<CopyChunk> parts = CopyPlan.byPages(T, 3, 0);
        assertThat(parts).extracting(CopyChunk::start).containsExactly(0L, 1L, 2L);
        assertThat(parts.get(2).last()).isTrue();
    }

    @Test
    void refusesMorePartsThanAnIntCounts() {
        assertThatThrownBy(() -> CopyPlan.byPages(T, 0xFFFF_FFFFL, 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("choose larger parts");
    }

    @Test
    void partitionsArePartsOfOneUnitEach() {
        assertThat(CopyPlan.byPartitions(T, 3)).containsExactly(
                new CopyChunk(T, 0, 3, 0, 1), new CopyChunk(T, 1, 3, 1, 2), new CopyChunk(T, 2, 3, 2, CopyChunk.OPEN));
        assertThat(CopyPlan.byPartitions(T, 0)).containsExactly(new CopyChunk(T, 0, 1, 0, CopyChunk.OPEN));
    }
}

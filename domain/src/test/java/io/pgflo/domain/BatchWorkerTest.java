package io.pgflo.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgflo.sink.api.Lsn;
import io.pgflo.sink.api.Position;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class BatchWorkerTest {

    @Test
    void runsBatchesOneAtATimeInOrderOnItsOwnThread() {
        List<String> ran = new CopyOnWriteArrayList<>();
        BatchWorker worker = new BatchWorker("test-worker", "the test sink", () -> Position.START);
        for (int i = 0; i < 5; i++) {
            int batch = i;
            worker.submit(() -> ran.add(batch + " on " + Thread.currentThread().getName()));
        }
        worker.await();
        assertThat(ran).containsExactly("0 on test-worker", "1 on test-worker", "2 on test-worker", "3 on test-worker",
                "4 on test-worker");
        assertThat(worker.stop(Duration.ofSeconds(5), false)).isTrue();
    }

    @Test
    void tellsItsListenerAfterEachBatchHasRunFailedOrNot() {
        List<String> told = new CopyOnWriteArrayList<>();
        BatchWorker worker = new BatchWorker("test-worker", "the test sink", () -> Position.START,
                () -> told.add("completed on " + Thread.currentThread().getName()));
        worker.submit(() -> told.add("batch 1"));
        worker.submit(() -> told.add("batch 2"));
        worker.await();
        worker.submit(() -> {
            told.add("batch 3");
            throw new IllegalStateException("target refused the batch");
        });
        assertThatThrownBy(worker::await).hasMessage("target refused the batch");

        assertThat(told).containsExactly("batch 1", "completed on test-worker", "batch 2", "completed on test-worker",
                "batch 3", "completed on test-worker");
        assertThat(worker.stop(Duration.ofSeconds(5), false)).isTrue();
    }

    @Test
    void aListenerThatThrowsFailsNoBatch() {
        List<Integer> ran = new CopyOnWriteArrayList<>();
        BatchWorker worker = new BatchWorker("test-worker", "the test sink", () -> Position.START, () -> {
            throw new IllegalStateException("listener broke (test)");
        });
        worker.submit(() -> ran.add(1));
        worker.submit(() -> ran.add(2));
        worker.await();
        assertThat(ran).containsExactly(1, 2);
        assertThat(worker.stop(Duration.ofSeconds(5), false)).isTrue();
    }

    @Test
    void aFailureIsThrownByTheNextCallAndThenStopsTheWorkerForGood() {
        List<Integer> ran = new CopyOnWriteArrayList<>();
        BatchWorker worker = new BatchWorker("test-worker", "the test sink", () -> Position.afterTransaction(Lsn.of(42)));
        worker.submit(() -> {
            throw new IllegalStateException("target refused the batch");
        });
        assertThatThrownBy(() -> worker.submit(() -> ran.add(2))).hasMessage("target refused the batch");
        assertThatThrownBy(worker::await).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("the test sink stopped after an earlier failure (target refused the batch)")
                .hasMessageContaining("checkpoint " + Lsn.of(42));
        assertThatThrownBy(() -> worker.submit(() -> ran.add(3))).hasMessageContaining("earlier failure");
        assertThat(ran).isEmpty();
        worker.stop(Duration.ofSeconds(5), true);
    }
}

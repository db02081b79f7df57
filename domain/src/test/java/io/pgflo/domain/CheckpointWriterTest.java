package io.pgflo.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class CheckpointWriterTest {

    @Test
    void savesInOrderAndCoalescesWhatArrivesDuringASave() throws Exception {
        List<Integer> saved = new CopyOnWriteArrayList<>();
        CountDownLatch firstStarted = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        try (CheckpointWriter<Integer> writer = new CheckpointWriter<>("test-writer", checkpoint -> {
            if (checkpoint == 1) {
                firstStarted.countDown();
                release.await(10, TimeUnit.SECONDS);
            }
            saved.add(checkpoint);
        })) {
            writer.submit(1);
            assertThat(firstStarted.await(10, TimeUnit.SECONDS)).isTrue();
            writer.submit(2);
            writer.submit(3); // replaces 2, which was waiting
            release.countDown();
            writer.awaitSaved();
        }
        assertThat(saved).containsExactly(1, 3);
    }

    @Test
    void tellsItsListenerAfterEachSaveDoneOrFailed() {
        List<String> told = new CopyOnWriteArrayList<>();
        try (CheckpointWriter<Integer> writer = new CheckpointWriter<>("test-writer", checkpoint -> {
            told.add("save " + checkpoint);
            if (checkpoint == 2) {
                throw new java.io.IOException("disk full");
            }
        }, () -> told.add("completed on " + Thread.currentThread().getName()))) {
            writer.submit(1);
            writer.awaitSaved();
            writer.submit(2);
            assertThatThrownBy(writer::awaitSaved).hasMessage("disk full");
        }
        // awaitSaved returns once the save is recorded, a moment before the listener runs; close() joins the thread.
        assertThat(told).containsExactly("save 1", "completed on test-writer", "save 2", "completed on test-writer");
    }

    @Test
    void aFailedSaveIsThrownByEveryLaterCallAndNothingMoreIsSaved() {
        List<Integer> saved = new CopyOnWriteArrayList<>();
        try (CheckpointWriter<Integer> writer = new CheckpointWriter<>("test-writer", checkpoint -> {
            if (checkpoint == 2) {
                throw new java.io.IOException("disk full");
            }
            saved.add(checkpoint);
        })) {
            writer.submit(1);
            writer.awaitSaved();
            writer.submit(2);
            assertThatThrownBy(writer::awaitSaved).isInstanceOf(IllegalStateException.class).hasMessage("disk full");
            assertThatThrownBy(() -> writer.submit(3)).hasMessage("disk full");
        }
        assertThat(saved).containsExactly(1);
    }

    @Test
    void closeSavesWhatIsPending() {
        List<Integer> saved = new CopyOnWriteArrayList<>();
        CheckpointWriter<Integer> writer = new CheckpointWriter<>("test-writer", saved::add);
        writer.submit(7);
        writer.close();
        assertThat(saved).containsExactly(7);
        assertThatThrownBy(() -> writer.submit(8)).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    }

    @Test
    void anErrorInASaveIsReportedNotWaitedForForever() {
        try (CheckpointWriter<Integer> writer = new CheckpointWriter<>("test-writer", checkpoint -> {
            throw new StackOverflowError("deep");
        })) {
            writer.submit(1);
            assertThatThrownBy(writer::awaitSaved).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("StackOverflowError");
        }
    }
}

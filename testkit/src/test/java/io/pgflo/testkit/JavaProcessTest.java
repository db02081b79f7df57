package io.pgflo.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class JavaProcessTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @Test
    void capturesOutputExitCodeAndEnvironment() {
        try (JavaProcess child = JavaProcess.builder(ChildMain.class)
                .args("exit", "3")
                .env("CHILD_GREETING", "hello")
                .start()) {
            assertThat(child.waitFor(TIMEOUT)).isTrue();
            assertThat(child.exitCode()).isEqualTo(3);
            assertThat(child.stdout()).isEqualTo("out hello\n");
            assertThat(child.stderr()).isEqualTo("err line\n");
        }
    }

    @Test
    void killSkipsShutdownHooks() {
        try (JavaProcess child = JavaProcess.start(ChildMain.class, "wait")) {
            child.awaitOutput("ready", TIMEOUT);
            assertThat(child.pid()).isPositive();
            assertThatThrownBy(child::exitCode).hasMessageContaining("still running");

            assertThat(child.kill()).isEqualTo(JavaProcess.KILLED_EXIT_CODE);
            assertThat(child.stdout()).doesNotContain("shutdown hook ran");
        }
    }

    @Test
    void terminateRunsShutdownHooks() {
        try (JavaProcess child = JavaProcess.start(ChildMain.class, "wait")) {
            child.awaitOutput("ready", TIMEOUT);

            child.terminate();

            assertThat(child.waitFor(TIMEOUT)).isTrue();
            assertThat(child.exitCode()).isEqualTo(JavaProcess.TERMINATED_EXIT_CODE);
            assertThat(child.stdout()).contains("shutdown hook ran");
        }
    }

    @Test
    void awaitOutputFailsWithTheOutputWhenTheChildExits() {
        try (JavaProcess child = JavaProcess.start(ChildMain.class, "exit", "1")) {
            assertThatThrownBy(() -> child.awaitOutput("never printed", TIMEOUT))
                    .hasMessageContaining("exited with code 1")
                    .hasMessageContaining("err line");
        }
    }
}

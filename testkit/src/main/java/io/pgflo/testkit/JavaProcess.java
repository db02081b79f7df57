package io.pgflo.testkit;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A Java main class in a child JVM on this JVM's classpath, for tests that kill or stop a process the way production
 * does: {@link #kill()} is SIGKILL (no shutdown hooks, nothing flushed), {@link #terminate()} is SIGTERM (shutdown
 * hooks run). Output goes to files rather than pipes, so a chatty child never blocks on a full pipe and the output is
 * still there after the child is gone.
 *
 * <pre>{@code
 * try (JavaProcess app = JavaProcess.builder(Main.class).args("stream", "stdout").env("PG_FLO_PASSWORD", "x").start()) {
 *     app.awaitOutput("streaming", Duration.ofSeconds(30));
 *     assertThat(app.kill()).isEqualTo(137);
 * }
 * }</pre>
 */
public final class JavaProcess implements AutoCloseable {
    /** The exit code of a JVM ended by SIGKILL (128 + 9). */
    public static final int KILLED_EXIT_CODE = 137;
    /** The exit code of a JVM ended by SIGTERM (128 + 15) that did not choose another with {@code halt}/{@code exit}. */
    public static final int TERMINATED_EXIT_CODE = 143;

    private static final Duration KILL_WAIT = Duration.ofSeconds(30);

    private final Process process;
    private final String mainClass;
    private final Path stdoutFile;
    private final Path stderrFile;

    private JavaProcess(Process process, String mainClass, Path stdoutFile, Path stderrFile) {
        this.process = process;
        this.mainClass = mainClass;
        this.stdoutFile = stdoutFile;
        this.stderrFile = stderrFile;
    }

    public static Builder builder(Class<?> mainClass) {
        return new Builder(requireNonNull(mainClass, "mainClass is null").getName());
    }

    public static Builder builder(String mainClass) {
        return new Builder(requireNonNull(mainClass, "mainClass is null"));
    }

    /** Starts {@code mainClass} with {@code args}, this JVM's environment and classpath. */
    public static JavaProcess start(Class<?> mainClass, String... args) {
        return builder(mainClass).args(args).start();
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Waits for the child to exit; true if it did within {@code timeout}. */
    public boolean waitFor(Duration timeout) {
        try {
            return process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + describe(), e);
        }
    }

    /**
     * Sends SIGKILL and waits for the child to be gone, so the caller can start its successor at once.
     *
     * @return the exit code, {@value #KILLED_EXIT_CODE} unless the child had already exited
     */
    public int kill() {
        process.destroyForcibly();
        if (!waitFor(KILL_WAIT)) {
            throw new IllegalStateException(describe() + " survived SIGKILL for " + KILL_WAIT);
        }
        return process.exitValue();
    }

    /** Sends SIGTERM and returns at once: a graceful shutdown takes as long as it takes; follow with {@link #waitFor}. */
    public void terminate() {
        process.destroy();
    }

    /** The exit code; the child must have exited. */
    public int exitCode() {
        if (process.isAlive()) {
            throw new IllegalStateException(describe() + " is still running");
        }
        return process.exitValue();
    }

    /** Everything the child wrote to stdout so far. */
    public String stdout() {
        return read(stdoutFile);
    }

    /** Everything the child wrote to stderr so far. */
    public String stderr() {
        return read(stderrFile);
    }

    public Path stdoutFile() {
        return stdoutFile;
    }

    public Path stderrFile() {
        return stderrFile;
    }

    /**
     * Waits until {@code text} appears in the child's stdout or stderr, for example a log line saying it is ready.
     *
     * @throws IllegalStateException if the child exits first or the time runs out, with the child's output
     */
    public void awaitOutput(String text, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (stdout().contains(text) || stderr().contains(text)) {
                return;
            }
            if (!process.isAlive()) {
                // One last look: the text may have been written just before the exit.
                if (stdout().contains(text) || stderr().contains(text)) {
                    return;
                }
                throw new IllegalStateException(describe() + " exited with code " + process.exitValue()
                        + " before printing '" + text + "'" + outputForMessage());
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(describe() + " did not print '" + text + "' within " + timeout
                        + outputForMessage());
            }
            waitFor(Duration.ofMillis(50));
        }
    }

    /** Kills the child if it still runs, so a failed test leaves no JVM behind. */
    @Override
    public void close() {
        if (process.isAlive()) {
            kill();
        }
    }

    @Override
    public String toString() {
        return describe();
    }

    private String describe() {
        return "java " + mainClass + " (pid " + process.pid() + ")";
    }

    private String outputForMessage() {
        return "\n--- stdout (" + stdoutFile + ")\n" + tail(stdout())
                + "\n--- stderr (" + stderrFile + ")\n" + tail(stderr());
    }

    private static String tail(String text) {
        return text.length() <= 4000 ? text : "..." + text.substring(text.length() - 4000);
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** What to start; one builder may start several processes, such as a process and its successor after a kill. */
    public static final class Builder {
        private final String mainClass;
        private final List<String> jvmArgs = new ArrayList<>();
        private final List<String> args = new ArrayList<>();
        private final Map<String, String> env = new LinkedHashMap<>();
        private Path logDirectory;
        private Path workingDirectory;

        private Builder(String mainClass) {
            this.mainClass = mainClass;
        }

        public Builder args(String... args) {
            return args(List.of(args));
        }

        public Builder args(List<String> args) {
            this.args.addAll(args);
            return this;
        }

        /** Options for the child JVM, such as {@code -Xmx256m} or {@code -Dkey=value}. */
        public Builder jvmArgs(String... jvmArgs) {
            this.jvmArgs.addAll(List.of(jvmArgs));
            return this;
        }

        /** Adds to (or overrides) the environment the child inherits from this JVM; a null value removes the variable. */
        public Builder env(String name, String value) {
            env.put(requireNonNull(name, "name is null"), value);
            return this;
        }

        public Builder env(Map<String, String> variables) {
            variables.forEach(this::env);
            return this;
        }

        /**
         * Where the stdout and stderr files go. By default {@code target/java-processes} of the Maven module under
         * test (Surefire sets {@code basedir}), where CI keeps them with the test reports; else a temporary directory.
         */
        public Builder logDirectory(Path logDirectory) {
            this.logDirectory = requireNonNull(logDirectory, "logDirectory is null");
            return this;
        }

        public Builder workingDirectory(Path workingDirectory) {
            this.workingDirectory = requireNonNull(workingDirectory, "workingDirectory is null");
            return this;
        }

        private static Path defaultLogDirectory() throws IOException {
            String basedir = System.getProperty("basedir");
            if (basedir != null && Files.isDirectory(Path.of(basedir, "target"))) {
                return Path.of(basedir, "target", "java-processes");
            }
            return Files.createTempDirectory("pgflo-java-process-");
        }

        public JavaProcess start() {
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.addAll(jvmArgs);
            command.add("-cp");
            command.add(System.getProperty("java.class.path"));
            command.add(mainClass);
            command.addAll(args);
            try {
                Path logs = Files.createDirectories(logDirectory != null ? logDirectory : defaultLogDirectory());
                String simpleName = mainClass.substring(mainClass.lastIndexOf('.') + 1);
                Path stdout = Files.createTempFile(logs, simpleName + "-", ".stdout");
                Path stderr = stdout.resolveSibling(stdout.getFileName().toString().replace(".stdout", ".stderr"));
                ProcessBuilder builder = new ProcessBuilder(command)
                        .redirectOutput(stdout.toFile())
                        .redirectError(stderr.toFile())
                        .redirectInput(ProcessBuilder.Redirect.PIPE);
                if (workingDirectory != null) {
                    builder.directory(workingDirectory.toFile());
                }
                env.forEach((name, value) -> {
                    if (value == null) {
                        builder.environment().remove(name);
                    } else {
                        builder.environment().put(name, value);
                    }
                });
                Process process = builder.start();
                // No stdin: a child that reads it sees end-of-file rather than waiting forever.
                process.getOutputStream().close();
                return new JavaProcess(process, mainClass, stdout, stderr);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start java " + mainClass, e);
            }
        }
    }
}

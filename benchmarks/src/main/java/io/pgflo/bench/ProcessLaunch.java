package io.pgflo.bench;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

/** A contender that is a child process: stdout to a file or /dev/null, stderr to a log file. */
final class ProcessLaunch implements Launch {
    private static final long STOP_TIMEOUT_SECONDS = 120;

    private final Process process;
    private final Path log;
    private final Path gcLog;

    private ProcessLaunch(Process process, Path log, Path gcLog) {
        this.process = process;
        this.log = log;
        this.gcLog = gcLog;
    }

    /**
     * @param stdout where standard output goes ({@code /dev/null} for the benchmark)
     * @param environment added to a copy of ours without any {@code PGFLO_*} or {@code PG*} variable, so the
     *     contender sees only the settings we give it
     */
    static ProcessLaunch start(List<String> command, Map<String, String> environment, File stdout, Path log, Path gcLog)
            throws IOException {
        return start(command, environment, stdout, log, gcLog, null);
    }

    /** As above, in {@code workingDirectory} (null: ours), for programs that read their configuration from there. */
    static ProcessLaunch start(List<String> command, Map<String, String> environment, File stdout, Path log, Path gcLog,
            Path workingDirectory) throws IOException {
        Files.createDirectories(log.getParent());
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(workingDirectory == null ? null : workingDirectory.toFile())
                .redirectOutput(stdout)
                .redirectError(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        builder.environment().keySet().removeIf(name -> name.startsWith("PGFLO_") || name.startsWith("PG"));
        builder.environment().putAll(environment);
        Files.writeString(log.resolveSibling(log.getFileName() + ".command"), String.join(" ", command) + "\n");
        return new ProcessLaunch(builder.start(), log, gcLog);
    }

    @Override
    public OptionalLong pid() {
        return OptionalLong.of(process.pid());
    }

    @Override
    public OptionalInt exitCode() {
        return process.isAlive() ? OptionalInt.empty() : OptionalInt.of(process.exitValue());
    }

    @Override
    public void stop() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy(); // SIGTERM: pg_flo writes and checkpoints what it holds, then exits 0
            if (!process.waitFor(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }

    @Override
    public String logTail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join(" | ", lines.subList(Math.max(0, lines.size() - 3), lines.size()));
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    @Override
    public Path gcLog() {
        return gcLog;
    }
}

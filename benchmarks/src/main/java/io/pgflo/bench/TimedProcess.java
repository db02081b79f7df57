package io.pgflo.bench;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * A program that exits by itself, run under GNU {@code /usr/bin/time}, which reports its peak RSS and CPU time
 * exactly at exit: polling {@code /proc} misses a program that is done within one poll. Without
 * {@code /usr/bin/time}, it is a plain {@link ProcessLaunch} sampled through {@code /proc}.
 */
final class TimedProcess implements Launch {
    private static final Path TIME = Path.of("/usr/bin/time");

    private final ProcessLaunch process;
    private final Path statsFile;

    private TimedProcess(ProcessLaunch process, Path statsFile) {
        this.process = process;
        this.statsFile = statsFile;
    }

    static Launch start(List<String> command, Map<String, String> environment, File stdout, Path log) throws IOException {
        if (!Files.isExecutable(TIME)) {
            return ProcessLaunch.start(command, environment, stdout, log, null);
        }
        Path statsFile = log.resolveSibling(log.getFileName() + ".time");
        List<String> timed = new ArrayList<>(List.of(TIME.toString(), "--format=%M %U %S", "--output=" + statsFile));
        timed.addAll(command);
        return new TimedProcess(ProcessLaunch.start(timed, environment, stdout, log, null), statsFile);
    }

    @Override
    public OptionalLong pid() {
        return OptionalLong.empty(); // the pid is time's; the program's figures come from its report
    }

    @Override
    public void sample(ProcessStats stats) {
        if (process.exitCode().isEmpty()) {
            return;
        }
        try {
            String[] fields = Files.readString(statsFile).trim().split("\\s+");
            int n = fields.length;
            stats.record(Long.parseLong(fields[n - 3]), Double.parseDouble(fields[n - 2]) + Double.parseDouble(fields[n - 1]));
        } catch (IOException | RuntimeException e) {
            // No report (time was killed): no figures.
        }
    }

    @Override
    public OptionalInt exitCode() {
        return process.exitCode();
    }

    @Override
    public void stop() throws InterruptedException {
        process.stop();
    }

    @Override
    public String logTail() {
        return process.logTail();
    }
}

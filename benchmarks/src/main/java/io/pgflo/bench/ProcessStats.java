package io.pgflo.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;

/**
 * Peak resident memory and CPU time of a process, from Linux's {@code /proc}. {@code VmHWM} is the kernel's own
 * high-water mark of the resident set, so a sample taken any time before the process exits holds the peak; CPU time
 * is user plus system time of all its threads (GC and JIT included for a JVM).
 */
final class ProcessStats {
    private static final long CLOCK_TICKS_PER_SECOND = 100; // USER_HZ, 100 on every Linux architecture we run on

    private long peakRssKb = -1;
    private long cpuTicks = -1;

    /** Reads the process's current figures; keeps the last good ones when it has exited meanwhile. */
    void sample(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmHWM:")) {
                    peakRssKb = Math.max(peakRssKb, Long.parseLong(line.replaceAll("[^0-9]", "")));
                }
            }
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // Fields after the command name, which is in parentheses and may contain spaces.
            List<String> fields = List.of(stat.substring(stat.lastIndexOf(')') + 2).trim().split(" "));
            cpuTicks = Long.parseLong(fields.get(11)) + Long.parseLong(fields.get(12));
        } catch (IOException | RuntimeException e) {
            // Gone already, or not ours to read (a server in a container): keep what we have.
        }
    }

    /** Figures measured elsewhere ({@code /usr/bin/time}): peak RSS in KiB and CPU seconds. */
    void record(long peakRssKilobytes, double cpuSeconds) {
        peakRssKb = Math.max(peakRssKb, peakRssKilobytes);
        cpuTicks = Math.max(cpuTicks, Math.round(cpuSeconds * CLOCK_TICKS_PER_SECOND));
    }

    /** Peak resident set in MiB, if it could be read. */
    OptionalLong peakRssMb() {
        return peakRssKb < 0 ? OptionalLong.empty() : OptionalLong.of(Math.round(peakRssKb / 1024.0));
    }

    /** CPU seconds used, if they could be read. */
    Double cpuSeconds() {
        return cpuTicks < 0 ? null : cpuTicks / (double) CLOCK_TICKS_PER_SECOND;
    }

    /** The one-minute load average, to show how busy the machine was. */
    static Double loadAverage() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}

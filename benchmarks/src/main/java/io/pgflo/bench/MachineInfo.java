package io.pgflo.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The machine the numbers were taken on: they mean little without it. */
record MachineInfo(int cpus, String cpuModel, long memoryGib, String kernel, String java, Double loadAverageAtStart) {
    static MachineInfo current() {
        return new MachineInfo(Runtime.getRuntime().availableProcessors(), readCpuModel(), readMemoryGib(),
                System.getProperty("os.name") + " " + System.getProperty("os.version"),
                System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"),
                ProcessStats.loadAverage());
    }

    String describe() {
        return cpus + " cores (" + cpuModel + "), " + memoryGib + " GiB, " + kernel + ", " + java
                + (loadAverageAtStart == null ? "" : ", load " + loadAverageAtStart + " at start");
    }

    private static String readCpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(line -> line.startsWith("model name"))
                    .map(line -> line.substring(line.indexOf(':') + 1).trim()).findFirst().orElse("unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static long readMemoryGib() {
        try {
            return Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(line -> line.startsWith("MemTotal:"))
                    .map(line -> Long.parseLong(line.replaceAll("[^0-9]", "")))
                    .map(kb -> Math.round(kb / 1024.0 / 1024.0)).findFirst().orElse(0L);
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }
}

package io.pgflo.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where a recorded pg_flo spent its time, from a JFR file: CPU samples by stage of the hot path (the innermost
 * frame that belongs to a known stage decides), hot methods, threads, native (blocked or I/O) samples, GC and
 * allocation. The same data as {@code jfr print --events jdk.ExecutionSample}, aggregated.
 */
final class JfrSummary {
    /** Stages of the hot path, matched against frames from the leaf outwards; the first match wins. */
    private static final List<Map.Entry<String, List<String>>> STAGES = List.of(
            Map.entry("start-up: CLI, Guice, logging set-up", List.of("io.pgflo.cli.", "com.google.inject.",
                    "com.beust.jcommander.", "org.slf4j.LoggerFactory", "ch.qos.logback.core.joran.",
                    "ch.qos.logback.classic.joran.", "ch.qos.logback.core.model.", "ch.qos.logback.classic.util.")),
            Map.entry("pgoutput decode", List.of("io.pgflo.wal.PgOutputDecoder", "io.pgflo.wal.TupleData")),
            Map.entry("event assembly", List.of("io.pgflo.wal.ChangeEventAssembler", "io.pgflo.sink.api.Row",
                    "io.pgflo.sink.api.ChangeEvent", "io.pgflo.sink.api.ColumnValue", "io.pgflo.sink.api.Column")),
            Map.entry("JSON encoding", List.of("io.pgflo.json.", "com.fasterxml.jackson.")),
            Map.entry("pgjdbc: replication protocol, socket reads", List.of("org.postgresql.")),
            Map.entry("file writes, fsync", List.of("java.io.FileOutputStream", "sun.nio.ch.FileChannelImpl",
                    "sun.nio.ch.FileDispatcherImpl", "java.io.RandomAccessFile", "java.nio.channels.FileChannel")),
            Map.entry("HTTP client", List.of("okhttp3.", "okio.", "jdk.internal.net.http.", "java.net.http.")),
            Map.entry("sink (other)", List.of("io.pgflo.sink.")),
            Map.entry("batching, pipeline", List.of("io.pgflo.domain.Batcher", "io.pgflo.sink.api.Batch",
                    "io.pgflo.domain.Pipeline", "io.pgflo.domain.PipelineStats")),
            Map.entry("source poll loop", List.of("io.pgflo.wal.PostgresChangeSource", "io.pgflo.wal.HeartbeatEmitter")),
            Map.entry("logging", List.of("ch.qos.logback.", "org.slf4j.")));

    private final Map<String, Long> stages = new HashMap<>();
    private final Map<String, Long> leafMethods = new HashMap<>();
    private final Map<String, Long> innermostPgFlo = new HashMap<>();
    private final Map<String, Long> threads = new HashMap<>();
    private final Map<String, Long> nativeLeaves = new HashMap<>();
    private final Map<String, Long> nativeStages = new HashMap<>();
    private final Map<String, Long> allocations = new HashMap<>();
    private long executionSamples;
    private long nativeSamples;
    private long collections;
    private Duration pauses = Duration.ZERO;
    private Duration longestPause = Duration.ZERO;
    private long maxHeapUsed;
    private double jvmCpuSum;
    private double machineCpuSum;
    private long cpuLoadEvents;
    private Instant first;
    private Instant last;

    static String summarize(Path recording) throws IOException {
        JfrSummary summary = new JfrSummary();
        try (RecordingFile file = new RecordingFile(recording)) {
            while (file.hasMoreEvents()) {
                summary.accept(file.readEvent());
            }
        }
        return summary.render(recording);
    }

    private void accept(RecordedEvent event) {
        Instant time = event.getStartTime();
        first = first == null || time.isBefore(first) ? time : first;
        last = last == null || time.isAfter(last) ? time : last;
        switch (event.getEventType().getName()) {
            case "jdk.ExecutionSample" -> {
                executionSamples++;
                RecordedThread thread = event.getThread("sampledThread");
                add(threads, thread == null ? "?" : thread.getJavaName());
                RecordedStackTrace stack = event.getStackTrace();
                if (stack != null && !stack.getFrames().isEmpty()) {
                    add(leafMethods, name(stack.getFrames().get(0)));
                    add(stages, stage(stack));
                    for (RecordedFrame frame : stack.getFrames()) {
                        if (typeName(frame).startsWith("io.pgflo.")) {
                            add(innermostPgFlo, name(frame));
                            break;
                        }
                    }
                }
            }
            case "jdk.NativeMethodSample" -> {
                nativeSamples++;
                RecordedStackTrace stack = event.getStackTrace();
                if (stack != null && !stack.getFrames().isEmpty()) {
                    RecordedThread thread = event.getThread("sampledThread");
                    add(nativeLeaves, name(stack.getFrames().get(0)) + "  [" + (thread == null ? "?" : thread.getJavaName()) + "]");
                    add(nativeStages, waitingFor(stack));
                }
            }
            case "jdk.GarbageCollection" -> {
                collections++;
                Duration pause = event.getDuration("sumOfPauses");
                pauses = pauses.plus(pause);
                longestPause = pause.compareTo(longestPause) > 0 ? pause : longestPause;
            }
            case "jdk.GCHeapSummary" -> maxHeapUsed = Math.max(maxHeapUsed, event.getLong("heapUsed"));
            case "jdk.ObjectAllocationSample" -> {
                String type = event.getClass("objectClass") == null ? "?" : event.getClass("objectClass").getName();
                allocations.merge(type, event.getLong("weight"), Long::sum);
            }
            case "jdk.CPULoad" -> {
                jvmCpuSum += event.getFloat("jvmUser") + event.getFloat("jvmSystem");
                machineCpuSum += event.getFloat("machineTotal");
                cpuLoadEvents++;
            }
            default -> { }
        }
    }

    private static String stage(RecordedStackTrace stack) {
        for (RecordedFrame frame : stack.getFrames()) {
            String type = typeName(frame);
            for (Map.Entry<String, List<String>> stage : STAGES) {
                for (String prefix : stage.getValue()) {
                    if (type.startsWith(prefix)) {
                        return stage.getKey();
                    }
                }
            }
        }
        return "other (JDK, start-up, JIT-compiled glue)";
    }

    /** What a thread in native code is busy with or waiting for: the pg_flo component that called down. */
    private static String waitingFor(RecordedStackTrace stack) {
        for (RecordedFrame frame : stack.getFrames()) {
            String type = typeName(frame);
            if (type.startsWith("io.pgflo.sink.")) {
                return "sink: its destination (target database, HTTP receiver, files, fsync)";
            }
            if (type.startsWith("io.pgflo.wal.PostgresChangeSource")) {
                return "source: the replication stream (mostly waiting for the walsender)";
            }
            if (type.startsWith("io.pgflo.wal.HeartbeatEmitter")) {
                return "heartbeat";
            }
        }
        return stage(stack);
    }

    private static String typeName(RecordedFrame frame) {
        return frame.getMethod() == null ? "" : frame.getMethod().getType().getName();
    }

    private static String name(RecordedFrame frame) {
        return frame.getMethod() == null ? "?" : typeName(frame) + "." + frame.getMethod().getName();
    }

    private static void add(Map<String, Long> counts, String key) {
        counts.merge(key, 1L, Long::sum);
    }

    private String render(Path recording) {
        StringBuilder text = new StringBuilder();
        Duration span = first == null ? Duration.ZERO : Duration.between(first, last);
        text.append(String.format(Locale.ROOT, "JFR summary of %s (%.1f s recorded)%n%n", recording.getFileName(),
                span.toMillis() / 1000.0));
        if (cpuLoadEvents > 0) {
            text.append(String.format(Locale.ROOT, "CPU: the JVM used %.0f%% of the machine on average, the machine as a "
                    + "whole %.0f%% (%d cores)%n%n", 100 * jvmCpuSum / cpuLoadEvents, 100 * machineCpuSum / cpuLoadEvents,
                    Runtime.getRuntime().availableProcessors()));
        }
        table(text, "Java CPU samples by stage (" + executionSamples + " jdk.ExecutionSample; innermost known frame decides)",
                stages, executionSamples, 12);
        table(text, "Hot methods (leaf frame, self time)", leafMethods, executionSamples, 20);
        table(text, "Innermost pg_flo frame (self + the library code it calls)", innermostPgFlo, executionSamples, 15);
        table(text, "Java CPU samples by thread", threads, executionSamples, 8);
        table(text, "Native samples by component (" + nativeSamples + " jdk.NativeMethodSample: threads blocked in or "
                + "running native code; sun.nio.ch.Net.poll is waiting for a socket, force0 is fsync)", nativeStages, nativeSamples, 10);
        table(text, "Native samples by method", nativeLeaves, nativeSamples, 10);
        text.append(String.format(Locale.ROOT, "GC: %d collections, %.0f ms paused in total (%.1f ms longest), at most "
                + "%d MB of heap in use%n%n", collections, pauses.toNanos() / 1e6, longestPause.toNanos() / 1e6,
                maxHeapUsed / (1024 * 1024)));
        long allocated = allocations.values().stream().mapToLong(Long::longValue).sum();
        Map<String, Long> allocationMb = new LinkedHashMap<>();
        sorted(allocations).stream().limit(12).forEach(entry -> allocationMb.put(entry.getKey(), entry.getValue()));
        text.append(String.format(Locale.ROOT, "Allocation by type (jdk.ObjectAllocationSample, %,d MB sampled weight)%n",
                allocated / (1024 * 1024)));
        allocationMb.forEach((type, weight) -> text.append(String.format(Locale.ROOT, "  %5.1f%%  %s%n",
                100.0 * weight / Math.max(1, allocated), type)));
        return text.toString();
    }

    private static void table(StringBuilder text, String title, Map<String, Long> counts, long total, int limit) {
        text.append(title).append('\n');
        for (Map.Entry<String, Long> entry : sorted(counts).stream().limit(limit).toList()) {
            text.append(String.format(Locale.ROOT, "  %5.1f%%  %6d  %s%n", 100.0 * entry.getValue() / Math.max(1, total),
                    entry.getValue(), entry.getKey()));
        }
        text.append('\n');
    }

    private static List<Map.Entry<String, Long>> sorted(Map<String, Long> counts) {
        return counts.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).toList();
    }
}

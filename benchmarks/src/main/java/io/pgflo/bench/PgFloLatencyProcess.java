package io.pgflo.bench;

import io.pgflo.domain.DatabaseEndpoint;
import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** {@code pg_flo stream <sink>} on the latency table with default flags, as a user starts it. */
final class PgFloLatencyProcess {
    private PgFloLatencyProcess() {}

    static ProcessLaunch start(LatencyContext context, String contender, String sink, List<String> sinkArguments,
            Map<String, String> sinkEnvironment) throws Exception {
        DatabaseEndpoint source = context.sourceEndpoint();
        Path directory = context.directory();
        List<String> args = new ArrayList<>(List.of("stream", sink, "--host", source.host(), "--port",
                Integer.toString(source.port()), "--dbname", source.database(), "--user", source.user(),
                "--group", group(contender), "--tables", LatencyTable.NAME, "--schema", LatencyTable.SCHEMA,
                "--status-dir", directory.resolve("status").toString()));
        args.addAll(sinkArguments);
        Map<String, String> environment = new HashMap<>(sinkEnvironment);
        environment.put("PGFLO_PASSWORD", source.password());
        List<String> jvm = new ArrayList<>(BenchOptions.heapOptions(context.heap()));
        jvm.add("-Xlog:gc:file=" + directory.resolve("gc.log"));
        environment.putAll(context.pgFlo().environment(jvm));
        return ProcessLaunch.start(context.pgFlo().command(args), environment, new File("/dev/null"),
                directory.resolve("pg_flo.log"), directory.resolve("gc.log"));
    }

    /** Why the process stopped, when it has; empty while it runs (or before it started). */
    static String exited(ProcessLaunch process) {
        return process != null && process.exitCode().isPresent()
                ? "pg_flo exited with " + process.exitCode().getAsInt() + ": " + process.logTail() : "";
    }

    static String group(String contender) {
        return "latency_" + contender.replace('-', '_');
    }

    static String slot(String contender) {
        return "pg_flo_" + group(contender) + "_slot";
    }
}

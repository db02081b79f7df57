package io.pgflo.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** pg_flo's file sink into a fresh output directory: JSON lines, rotation and fsync'd checkpoints. */
class PgFloFileContender extends PgFloContender {
    @Override
    String baseId() {
        return "file";
    }

    @Override
    String baseName() {
        return "pg_flo file";
    }

    @Override
    public String measures() {
        return "pg_flo's file sink: JSON lines into --output-dir, durable (fsync) before each checkpoint";
    }

    @Override
    String sink() {
        return "file";
    }

    @Override
    List<String> sinkArguments(BenchContext context, RunSpec run) throws Exception {
        Path output = output(run);
        Files.createDirectories(output);
        return List.of("--output-dir", output.toString());
    }

    @Override
    public Delivery verify(BenchContext context, RunSpec run) throws Exception {
        return Delivery.counted(LineCounter.countTree(output(run)), run.workload().events(), "files hold");
    }

    @Override
    public void cleanup(BenchContext context, RunSpec run) {
        if (!context.options().keepOutput()) {
            FileTree.delete(output(run));
        }
    }

    private static Path output(RunSpec run) {
        return run.workDirectory().resolve("output");
    }
}

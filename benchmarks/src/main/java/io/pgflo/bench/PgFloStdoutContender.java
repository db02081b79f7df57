package io.pgflo.bench;

import java.io.File;
import java.nio.file.Path;

/** pg_flo's stdout sink with standard output on {@code /dev/null}: the engine's cost without a destination's. */
final class PgFloStdoutContender extends PgFloContender {
    @Override
    String baseId() {
        return "stdout";
    }

    @Override
    String baseName() {
        return "pg_flo stdout";
    }

    @Override
    public String measures() {
        return "pg_flo's engine: decode, assemble, batch, JSON-encode, write to /dev/null, checkpoint";
    }

    @Override
    String sink() {
        return "stdout";
    }

    @Override
    File standardOutput(BenchContext context, RunSpec run) {
        return context.options().verify() ? output(run).toFile() : new File("/dev/null");
    }

    @Override
    public Delivery verify(BenchContext context, RunSpec run) throws Exception {
        if (!context.options().verify()) {
            return Delivery.NOT_CHECKED;
        }
        return Delivery.counted(LineCounter.count(output(run)), run.workload().events(), "stdout has");
    }

    private static Path output(RunSpec run) {
        return run.workDirectory().resolve("stdout.jsonl");
    }
}

package io.pgflo.bench;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The server's own limit: PostgreSQL's {@code pg_recvlogical} reads the slot with pgoutput (the same options pg_flo
 * sends) and writes the binary messages to {@code /dev/null}, stopping by itself at the end position. No decoding
 * into events, no JSON, no sink: what is left is walsender, network and the client's copy loop.
 *
 * <p>With binary values ({@code recvlogical-binary}), the server sends each value in its binary send format instead
 * of its text output: what pgoutput's {@code binary} option would raise that limit by.
 */
final class PgRecvLogicalContender implements Contender {
    private final boolean binary;

    PgRecvLogicalContender(boolean binary) {
        this.binary = binary;
    }

    @Override
    public String id() {
        return binary ? "recvlogical-binary" : "recvlogical";
    }

    @Override
    public String displayName() {
        return binary ? "pg_recvlogical, binary values" : "pg_recvlogical";
    }

    @Override
    public String measures() {
        return "the server's limit: pg_recvlogical --endpos with pgoutput (proto_version 1, messages"
                + (binary ? ", binary" : "") + ") to /dev/null";
    }

    @Override
    public String unavailableReason(BenchContext context) {
        return context.recvLogical().isPresent() ? null
                : "pg_recvlogical not installed (Debian: apt-get install postgresql-client)";
    }

    @Override
    public Launch launch(BenchContext context, RunSpec run) throws Exception {
        Path program = context.recvLogical().orElseThrow();
        Database source = run.source().database();
        List<String> command = new ArrayList<>(List.of(program.toString(),
                "--dbname=" + source.libpqConnectionString(),
                "--slot=" + names().slot(),
                "--start",
                "--no-loop",
                "--endpos=" + run.endLsn(),
                "--file=/dev/null",
                "--option=proto_version=1",
                "--option=publication_names=" + names().publication(),
                "--option=messages=true"));
        if (this.binary) {
            command.add("--option=binary=true");
        }
        Map<String, String> environment = new HashMap<>();
        if (source.endpoint().password() != null) {
            environment.put("PGPASSWORD", source.endpoint().password());
        }
        return TimedProcess.start(command, environment, new File("/dev/null"), run.workDirectory().resolve("pg_recvlogical.log"));
    }

    @Override
    public boolean exitsWhenDone() {
        return true;
    }
}

package io.pgflo.cli;

import io.pgflo.nats.JetStreamSinkProvider;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code pg_flo replicator [flags]} is {@code pg_flo stream jetstream [flags]}: a stream like any other (copy, backfills,
 * retries, metrics, status), whose sink publishes to the group's JetStream stream.
 */
final class ReplicatorCommand {
    private ReplicatorCommand() {}

    static String[] asStream(String[] args) {
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--plugins-dir")) {
                i++;
            } else if (!args[i].startsWith("-")) {
                if (!args[i].equals("replicator")) {
                    return args;
                }
                List<String> rewritten = new ArrayList<>(List.of(args).subList(0, i));
                rewritten.add("stream");
                rewritten.add(JetStreamSinkProvider.NAME);
                rewritten.addAll(List.of(args).subList(i + 1, args.length));
                return rewritten.toArray(String[]::new);
            }
        }
        return args;
    }
}

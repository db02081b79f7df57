package io.pgflo.cli;

import io.pgflo.sink.api.Option;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * pg_flo's own worker flags, so that its users' deployment scripts run unchanged: each becomes ours before parsing.
 * {@code --target-disable-foreign-keys} is accepted and has nothing to do: the PostgreSQL sink applies whole source
 * transactions, so the target's foreign keys hold after each one as they did on the source.
 */
final class PgFloWorkerSpellings {
    private static final Map<String, String> ALWAYS = Map.of(
            "--file-output-dir", "--output-dir",
            "--target-sync-schema", "--sync-schema");

    private static final String DROP = "";

    private PgFloWorkerSpellings() {}

    static String[] translate(String[] args) {
        String sink = sinkName(args);
        List<String> out = new ArrayList<>(args.length);
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            int equals = arg.indexOf('=');
            String flag = equals > 0 ? arg.substring(0, equals) : arg;
            String value = equals > 0 ? arg.substring(equals) : "";
            if (flag.equals("--target-disable-foreign-keys")) {
                if (equals < 0 && i + 1 < args.length && isBooleanWord(args[i + 1])) {
                    i++;
                }
                continue;
            }
            String ours = ALWAYS.get(flag);
            if (ours == null) {
                ours = retryFlag(flag, sink);
            }
            if (DROP.equals(ours)) {
                // The PostgreSQL sink's retries back off on their own schedule; the value has nothing to set.
                i += equals < 0 ? 1 : 0;
                continue;
            }
            if (ours != null && ours.endsWith("-ms")) {
                // pg_flo's waits are durations (1s, 500ms); ours are milliseconds.
                String text = equals > 0 ? arg.substring(equals + 1) : i + 1 < args.length ? args[++i] : "";
                out.add(ours + "=" + Option.duration(flag.substring(2)).build().parse(text).toMillis());
                continue;
            }
            out.add(ours == null ? arg : ours + value);
        }
        return out.toArray(String[]::new);
    }

    /** pg_flo's retry flags mean the destination's retries: the webhook's or the PostgreSQL target's. */
    private static String retryFlag(String flag, String sink) {
        return switch (flag) {
            case "--retry-max-attempts" -> "webhook".equals(sink) ? "--webhook-max-attempts" : "--target-retries";
            case "--retry-initial-wait" -> "webhook".equals(sink) ? "--webhook-backoff-ms" : DROP;
            case "--retry-max-wait" -> "webhook".equals(sink) ? "--webhook-max-backoff-ms" : DROP;
            default -> null;
        };
    }

    private static String sinkName(String[] args) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals("worker")) {
                return args[i + 1];
            }
        }
        return null;
    }

    private static boolean isBooleanWord(String text) {
        return text.equals("true") || text.equals("false");
    }
}

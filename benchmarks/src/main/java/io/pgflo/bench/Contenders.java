package io.pgflo.bench;

import java.util.List;

/** Every contender, by the id {@code --contenders} takes. Adding one is one small class and one line here. */
final class Contenders {
    private Contenders() {}

    static Contender byId(String id, BenchOptions options) {
        return switch (id) {
            case "recvlogical" -> new PgRecvLogicalContender();
            case "stdout" -> new PgFloStdoutContender();
            case "file" -> new PgFloFileContender();
            case "webhook" -> new PgFloWebhookContender(1);
            case "webhook-batch" -> new PgFloWebhookContender(options.webhookBatchSize());
            case "postgres" -> new PgFloPostgresContender();
            case "native" -> new NativeSubscriptionContender();
            case "debezium" -> new DebeziumContender(options);
            default -> throw new IllegalArgumentException("unknown contender " + id);
        };
    }

    static List<Contender> selected(BenchOptions options) {
        return options.contenders().stream().map(id -> byId(id, options)).toList();
    }
}

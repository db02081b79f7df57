package io.pgflo.bench;

import java.util.ArrayList;
import java.util.List;

/** Every contender, by the id {@code --contenders} takes. Adding one is one small class and one line here. */
final class Contenders {
    private Contenders() {}

    static Contender byId(String id, BenchOptions options) {
        return switch (id) {
            case "recvlogical" -> new PgRecvLogicalContender(false);
            case "recvlogical-binary" -> new PgRecvLogicalContender(true);
            case "stdout" -> new PgFloStdoutContender();
            case "file" -> new PgFloFileContender();
            case "file-metrics" -> new PgFloFileMetricsContender();
            case "file-rules" -> new PgFloFileRulesContender();
            case "nats-file" -> new PgFloNatsContender(true);
            case "nats-publish" -> new PgFloNatsContender(false);
            case "webhook" -> new PgFloWebhookContender(1);
            case "webhook-batch" -> new PgFloWebhookContender(options.webhookBatchSize());
            case "postgres" -> new PgFloPostgresContender();
            case "native" -> new NativeSubscriptionContender();
            case "debezium" -> new DebeziumContender(options);
            default -> throw new IllegalArgumentException("unknown contender " + id);
        };
    }

    /** The contenders asked for, in order; a pg_flo contender once per heap when {@code --heap} lists several. */
    static List<Contender> selected(BenchOptions options) {
        List<Contender> selected = new ArrayList<>();
        for (String id : options.contenders()) {
            for (String heap : options.heaps()) {
                Contender contender = byId(id, options);
                if (!(contender instanceof PgFloContender pgFlo)) {
                    selected.add(contender);
                    break;
                }
                pgFlo.heap(heap, options.heaps().size() > 1);
                selected.add(pgFlo);
                if (options.baselineJar() != null) {
                    PgFloContender baseline = (PgFloContender) byId(id, options);
                    baseline.heap(heap, options.heaps().size() > 1);
                    baseline.useBaselineJar();
                    selected.add(baseline);
                }
            }
        }
        return selected;
    }
}

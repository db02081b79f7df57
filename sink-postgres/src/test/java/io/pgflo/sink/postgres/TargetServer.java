package io.pgflo.sink.postgres;

import io.pgflo.testkit.TestPostgres;

/**
 * The second PostgreSQL server the tests replicate into, shared by the test classes of this JVM and stopped when it
 * exits. The source is {@link TestPostgres#shared()}: two servers, as in production.
 */
final class TargetServer {
    private static TestPostgres target;

    private TargetServer() {}

    static synchronized TestPostgres get() {
        if (target == null) {
            TestPostgres server = TestPostgres.start();
            Runtime.getRuntime().addShutdownHook(new Thread(server::close, "pgflo-sink-postgres-target-stop"));
            target = server;
        }
        return target;
    }
}

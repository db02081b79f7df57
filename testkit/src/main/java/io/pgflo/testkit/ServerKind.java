package io.pgflo.testkit;

import java.lang.System.Logger.Level;
import org.testcontainers.DockerClientFactory;

/** Which kind of server {@link TestPostgres#start()} runs, decided once per JVM. */
enum ServerKind {
    EMBEDDED,
    DOCKER;

    private static final System.Logger LOG = System.getLogger(ServerKind.class.getName());
    private static Boolean dockerAnswers;

    static ServerKind chosen() {
        String wanted = TestkitSettings.serverKind();
        switch (wanted) {
            case "embedded":
                return EMBEDDED;
            case "docker":
                if (!dockerAnswers()) {
                    throw new IllegalStateException(TestkitSettings.SERVER_KIND
                            + "=docker, but no Docker engine answers; start one or use " + TestkitSettings.SERVER_KIND
                            + "=embedded");
                }
                return DOCKER;
            case "auto":
                return dockerAnswers() ? DOCKER : EMBEDDED;
            default:
                throw new IllegalArgumentException(TestkitSettings.SERVER_KIND + " must be embedded, docker or auto, got '"
                        + wanted + "'");
        }
    }

    PostgresServer start() {
        return this == DOCKER ? DockerPostgresServer.start() : EmbeddedPostgresServer.start();
    }

    private static synchronized boolean dockerAnswers() {
        if (dockerAnswers == null) {
            // isDockerAvailable() throws instead of answering false in some Testcontainers versions and set-ups.
            try {
                dockerAnswers = DockerClientFactory.instance().isDockerAvailable();
            } catch (RuntimeException | LinkageError e) {
                LOG.log(Level.DEBUG, "no Docker engine: " + e);
                dockerAnswers = false;
            }
        }
        return dockerAnswers;
    }
}

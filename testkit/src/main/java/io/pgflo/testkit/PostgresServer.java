package io.pgflo.testkit;

import java.nio.file.Path;
import java.util.Optional;

/** One running PostgreSQL, however it was started. {@link TestPostgres} adds the database helpers on top. */
interface PostgresServer extends AutoCloseable {
    /** {@code embedded} or {@code docker}, for messages. */
    String kind();

    String host();

    int port();

    /** Stops the server cleanly and starts it again on the same data and the same port. */
    void restart();

    Optional<Path> binDirectory();

    Optional<Path> logFile();

    @Override
    void close();
}

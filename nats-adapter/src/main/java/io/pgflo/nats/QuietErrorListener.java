package io.pgflo.nats;

import io.nats.client.Connection;
import io.nats.client.ErrorListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The client's asynchronous errors in our log, once each, instead of its own console lines. */
final class QuietErrorListener implements ErrorListener {
    private static final Logger log = LoggerFactory.getLogger("pg_flo.nats");

    @Override
    public void errorOccurred(Connection connection, String error) {
        log.warn("NATS server reported: {}", error);
    }

    @Override
    public void exceptionOccurred(Connection connection, Exception exception) {
        log.debug("NATS connection: {}", exception.toString());
    }
}

package io.pgflo.wal;

import io.pgflo.sink.api.ConfigurationException;

/**
 * The server invalidated the group's replication slot: the changes after its position are gone, and no reconnect can
 * bring them back. Raised at start, and when a stream that ran reconnects and finds the slot so.
 */
public final class SlotInvalidatedException extends ConfigurationException {
    private static final long serialVersionUID = 1L;

    SlotInvalidatedException(String message) {
        super(message);
    }
}

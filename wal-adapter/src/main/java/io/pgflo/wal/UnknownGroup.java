package io.pgflo.wal;

import io.pgflo.domain.DatabaseEndpoint;
import io.pgflo.sink.api.ConfigurationException;

/** The one message for a group that is not on the source, worded as {@code pg_flo backfill} words it. */
final class UnknownGroup {
    private UnknownGroup() {}

    static ConfigurationException of(String group, ReplicationNames names, DatabaseEndpoint endpoint) {
        return new ConfigurationException("there is no group '" + group + "' on " + endpoint.describe() + " (no slot "
                + names.slot() + ", no publication " + names.publication() + "); check --group and --dbname");
    }
}

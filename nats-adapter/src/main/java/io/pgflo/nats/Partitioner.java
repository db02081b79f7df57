package io.pgflo.nats;

import io.pgflo.sink.api.ChangeEvent;
import io.pgflo.sink.api.Row;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

/**
 * Which partition a change goes to: a hash of its table and replication key, so every change of one row lands in one
 * partition, in order. A change without a key (TRUNCATE, DDL, a table without one) goes by its table alone. An UPDATE
 * that changes the key goes by the new key.
 */
final class Partitioner {
    private final int partitions;

    Partitioner(int partitions) {
        this.partitions = partitions;
    }

    int partitionOf(ChangeEvent event) {
        if (partitions == 1) {
            return 0;
        }
        CRC32 hash = new CRC32();
        hash.update(event.qualifiedTable().getBytes(StandardCharsets.UTF_8));
        Row row = event.newRow() != null ? event.newRow() : event.oldRow();
        if (row != null) {
            for (String key : event.keyColumns()) {
                String value = row.text(key);
                hash.update(0);
                if (value != null) {
                    hash.update(value.getBytes(StandardCharsets.UTF_8));
                }
            }
        }
        return (int) (hash.getValue() % partitions);
    }
}

package io.pgflo.nats;

import io.pgflo.sink.api.Position;

/** How far one partition's messages go: the last message's counter and where its content ends. */
record PartitionMark(long counter, Position end) {
    static final PartitionMark NONE = new PartitionMark(0, Position.START);
}

package io.pgflo.nats;

import static java.util.Objects.requireNonNull;

import io.pgflo.sink.api.Position;
import java.util.List;

/**
 * One JetStream message of a group's stream: parts of consecutive transactions for one partition.
 *
 * @param counter this message's number on its partition: 1, 2, 3, ... with no hole; a worker that sees one missing knows
 *     the stream lost messages (retention) before it read them
 * @param previous where the partition's previous message ended ({@link Position#START} for the first): a worker whose
 *     checkpoint is before it missed messages
 * @param end where this message's content ends on its partition
 * @param progress how far the replicator had published everything, on every partition, once this message was accepted:
 *     where a restarted replicator resumes
 * @param marks every partition's mark once this message was accepted, when there are several (empty for one): what a
 *     restarted replicator numbers on from, even for a partition whose own messages have all expired
 */
record WireMessage(int partition, long counter, Position previous, Position end, Position progress,
        List<PartitionMark> marks, List<WireTransaction> transactions) {
    WireMessage {
        marks = List.copyOf(marks);
        requireNonNull(previous, "previous is null");
        requireNonNull(end, "end is null");
        requireNonNull(progress, "progress is null");
        transactions = List.copyOf(transactions);
    }

    /** The header JetStream drops repeats by: the partition and the first change (or end) the message carries. */
    String messageId() {
        return "p" + partition + "-" + previous + "-" + counter;
    }
}

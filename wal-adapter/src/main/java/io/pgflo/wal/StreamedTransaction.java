package io.pgflo.wal;

import java.util.HashMap;
import java.util.Map;

/**
 * What the assembler keeps of one transaction the server streams before its commit: its messages, and while its
 * changes go out provisionally, the tables as its own stream described them (applied to the shared relation cache only
 * at its commit, as the server means them to be).
 */
final class StreamedTransaction implements AutoCloseable {
    final long xid;
    final TransactionSpool spool;
    final Map<Integer, RelationInfo> relations = new HashMap<>();

    StreamedTransaction(long xid, TransactionSpool spool) {
        this.xid = xid;
        this.spool = spool;
    }

    @Override
    public void close() {
        relations.clear();
        spool.close();
    }
}

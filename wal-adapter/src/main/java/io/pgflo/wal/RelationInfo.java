package io.pgflo.wal;

import io.pgflo.domain.Column;
import java.util.List;

/** What the stream said about a table, with its columns' types resolved. */
record RelationInfo(String schema, String table, char replicaIdentity, List<Column> columns, List<String> keyColumns) {}

package io.pgflo.domain;



/**
 * What a {@link ChangeSource} hands the pipeline: a change, the end of the transaction the changes belong to, or (to
 * a sink that accepts provisional changes) word that the open transaction's changes so far are void; or a backfill's
 * watermark.
 */
public sealed interface SourceMessage permits SourceChange, TransactionCommit, OpenTransactionDiscarded, Watermark {}

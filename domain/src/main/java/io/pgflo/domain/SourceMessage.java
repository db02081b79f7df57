package io.pgflo.domain;

/** What a {@link ChangeSource} hands the pipeline: a change, or the end of the transaction the changes belong to. */
public sealed interface SourceMessage permits ChangeEvent, TransactionCommit {}

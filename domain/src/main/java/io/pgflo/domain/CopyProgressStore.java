package io.pgflo.domain;

import java.util.Optional;

/** Where an initial copy keeps how far it got, so that a restarted one does not copy finished tables again. */
public interface CopyProgressStore {

    /** The copy under way; empty when none is (none began, or the last one completed). */
    Optional<CopyState> load();

    /** Saves durably before returning. */
    void save(CopyState state);

    /** Records durably that the copy completed: {@link #load()} is empty from now on. */
    void complete();
}

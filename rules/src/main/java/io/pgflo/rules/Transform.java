package io.pgflo.rules;

import java.util.List;

/** A text value's rewrite. Thread-safe. */
interface Transform {
    List<String> KINDS = List.of("regex", "mask", "hash", "truncate", "set_null", "constant");

    /** The new text for {@code text} (null only for a SQL NULL, which only {@code set_null} is handed), or null for NULL. */
    String apply(String text);

    /** Whether this transform writes NULL (and so is handed NULLs too). */
    default boolean setsNull() {
        return false;
    }

    /** Whether two distinct values may come out equal, which would merge keys on a target. */
    boolean mayMerge();
}

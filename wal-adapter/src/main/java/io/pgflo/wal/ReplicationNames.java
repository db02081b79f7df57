package io.pgflo.wal;

import java.util.Locale;

/**
 * The publication and slot names a group uses: {@code pg_flo_<group>_publication} and {@code pg_flo_<group>_slot},
 * where {@code <group>} is the group name lower-cased with every character other than a-z, 0-9 and '_' replaced
 * by '_'. Slot names allow only those characters, and both must fit PostgreSQL's 63-byte identifiers.
 */
public record ReplicationNames(String group, String publication, String slot) {
    private static final int MAX_GROUP_LENGTH = 63 - "pg_flo__publication".length();

    public static ReplicationNames forGroup(String group) {
        if (group == null || group.isBlank()) {
            throw new IllegalArgumentException("--group is required: name the replication group, e.g. --group orders");
        }
        StringBuilder sanitized = new StringBuilder(group.length());
        for (char c : group.toLowerCase(Locale.ROOT).toCharArray()) {
            sanitized.append((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ? c : '_');
        }
        String name = sanitized.toString();
        if (name.chars().allMatch(c -> c == '_')) {
            throw new IllegalArgumentException("--group '" + group + "' has no letters or digits; use e.g. --group orders");
        }
        if (name.length() > MAX_GROUP_LENGTH) {
            throw new IllegalArgumentException("--group '" + group + "' is too long: at most " + MAX_GROUP_LENGTH
                    + " characters, so that the slot and publication names fit PostgreSQL's 63-byte limit");
        }
        return new ReplicationNames(name, "pg_flo_" + name + "_publication", "pg_flo_" + name + "_slot");
    }

    /**
     * Whether {@code name}, as a user gave it to {@code --group}, names this group: {@code Orders} and {@code orders}
     * share a slot. Backfill requests keep the name as given, so they are matched by this.
     */
    public boolean isNamedBy(String name) {
        try {
            return forGroup(name).group().equals(group);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}

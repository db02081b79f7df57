package io.pgflo.sink.file;

import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Set;
import java.util.regex.Pattern;

/** A file mode as {@code chmod} takes it: {@code 0600}, {@code 0640}, {@code 644} (octal, permission bits only). */
final class FileModeText {
    private static final Pattern OCTAL = Pattern.compile("[0-7]{1,6}");
    /** In the order of their bits, from 0400 down to 0001, as {@link PosixFilePermission} declares them. */
    private static final PosixFilePermission[] BITS = PosixFilePermission.values();

    private FileModeText() {}

    /**
     * The permissions {@code text} says; the owner must keep read and write, which the sink needs to resume a file.
     *
     * @throws IllegalArgumentException naming {@code flag}, quoting the text and saying what would do
     */
    static Set<PosixFilePermission> parse(String flag, String text) {
        String trimmed = text == null ? "" : text.trim();
        if (!OCTAL.matcher(trimmed).matches()) {
            throw new IllegalArgumentException(flag + " must be an octal mode such as 0600, 0640 or 0644, got '" + text + "'");
        }
        int bits = Integer.parseInt(trimmed, 8);
        if (bits > 0777) {
            throw new IllegalArgumentException(flag + " must be between 0000 and 0777 (no setuid, setgid or sticky bit), got '"
                    + text + "'");
        }
        if ((bits & 0600) != 0600) {
            throw new IllegalArgumentException(flag + " must let the owner read and write, as 0600, 0640 or 0644 do, got '"
                    + text + "'");
        }
        Set<PosixFilePermission> mode = EnumSet.noneOf(PosixFilePermission.class);
        for (int i = 0; i < BITS.length; i++) {
            if ((bits & (0400 >> i)) != 0) {
                mode.add(BITS[i]);
            }
        }
        return mode;
    }

    /** {@code mode} in four octal digits, as {@link #parse} reads it back. */
    static String format(Set<PosixFilePermission> mode) {
        int bits = 0;
        for (int i = 0; i < BITS.length; i++) {
            if (mode.contains(BITS[i])) {
                bits |= 0400 >> i;
            }
        }
        return String.format("%04o", bits);
    }
}

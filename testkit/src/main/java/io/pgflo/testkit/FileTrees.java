package io.pgflo.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Stream;

/** File operations the embedded server needs and {@link Files} lacks. */
final class FileTrees {
    private static final PosixFilePermission[] MODE_BITS = {
        PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
        PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
        PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ
    };

    private FileTrees() {}

    /** Sets an octal mode such as {@code 0755}; a no-op where the file system has no POSIX permissions. */
    static void setMode(Path path, int mode) throws IOException {
        if (!path.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            return;
        }
        Set<PosixFilePermission> permissions = EnumSet.noneOf(PosixFilePermission.class);
        for (int i = 0; i < MODE_BITS.length; i++) {
            if ((mode & (1 << i)) != 0) {
                permissions.add(MODE_BITS[i]);
            }
        }
        Files.setPosixFilePermissions(path, permissions);
    }

    /** Gives every directory under {@code root} mode 0755, so another account can walk to the files. */
    static void makeDirectoriesReachable(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path path : (Iterable<Path>) walk::iterator) {
                if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
                    setMode(path, 0755);
                }
            }
        }
    }

    /**
     * Deletes a tree, ignoring what cannot be deleted: used on clean-up paths that must not hide the real error. A file
     * that vanishes during the walk (a server process still exiting removes its own) makes it walk again, a few times.
     */
    static void deleteQuietly(Path root) {
        for (int attempt = 0; attempt < 3 && Files.exists(root, LinkOption.NOFOLLOW_LINKS); attempt++) {
            try (Stream<Path> walk = Files.walk(root)) {
                walk.sorted(Comparator.reverseOrder()).forEach(path -> {
                    try {
                        Files.deleteIfExists(path);
                    } catch (IOException e) {
                        // left behind; the next sweep of the work directory tries again
                    }
                });
            } catch (IOException | UncheckedIOException e) {
                // same, or the tree changed under the walk: walk it again
            }
        }
    }

    /** The last {@code maxChars} characters of a text file, or a note saying why there are none. */
    static String tail(Path file, int maxChars) {
        try {
            if (!Files.exists(file)) {
                return "(no " + file.getFileName() + ")";
            }
            String text = Files.readString(file, StandardCharsets.UTF_8);
            return text.length() <= maxChars ? text : "..." + text.substring(text.length() - maxChars);
        } catch (IOException e) {
            return "(cannot read " + file + ": " + e.getMessage() + ")";
        }
    }
}

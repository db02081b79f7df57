package io.pgflo.json;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Creates the status file's directories (0700) and files (0600) so that only their owner can read them: a checkpoint
 * names the source's positions and the sink's files, which are nobody else's business.
 *
 * <p>The mode is given at creation, so a new path is never wider than that, even for an instant; the umask can only
 * narrow it, and is undone right after. Where the file system has no POSIX permissions (Windows), paths are created
 * without them.
 */
final class OwnerOnlyFiles {
    static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");
    static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwx------");

    private OwnerOnlyFiles() {}

    /** Creates {@code directory} and its missing parents 0700; directories that exist keep their mode. */
    static void createDirectories(Path directory) throws IOException {
        Path absolute = directory.toAbsolutePath();
        if (Files.isDirectory(absolute)) {
            return;
        }
        Path parent = absolute.getParent();
        if (parent != null) {
            createDirectories(parent);
        }
        try {
            Files.createDirectory(absolute, attributes(absolute, DIRECTORY));
        } catch (FileAlreadyExistsException e) {
            if (Files.isDirectory(absolute)) {
                return; // created by someone else meanwhile: theirs, so its mode is theirs too
            }
            throw e;
        }
        undoUmask(absolute, DIRECTORY);
    }

    /** A new file, 0600, open for writing; {@link FileAlreadyExistsException} when the name is taken. */
    static FileChannel createFile(Path file) throws IOException {
        FileChannel channel = FileChannel.open(file, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                attributes(file, FILE));
        undoUmask(file, FILE);
        return channel;
    }

    private static FileAttribute<?>[] attributes(Path path, Set<PosixFilePermission> mode) {
        return posix(path) ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(mode)} : new FileAttribute<?>[0];
    }

    /** Sets exactly {@code mode} on a path just created with it, which the umask may have narrowed. */
    private static void undoUmask(Path created, Set<PosixFilePermission> mode) {
        if (!posix(created)) {
            return;
        }
        try {
            Files.setPosixFilePermissions(created, mode);
        } catch (IOException ignored) {
            // A file system that keeps no modes (vfat under Linux refuses chmod). Created with the mode, the path is
            // no wider than it: at worst narrower.
        }
    }

    private static boolean posix(Path path) {
        return path.getFileSystem().supportedFileAttributeViews().contains("posix");
    }
}

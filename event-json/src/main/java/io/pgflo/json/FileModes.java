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
import java.util.EnumSet;
import java.util.Set;

/**
 * Creates files and directories with exactly a given mode, whatever the umask: the file sink's output, the status
 * files, and the directories pg_flo makes for them, which by default only their owner may read ({@link #OWNER_FILE},
 * {@link #OWNER_DIRECTORY}): a checkpoint names the source's positions and the output holds the source's rows.
 *
 * <p>The mode is given at creation, so a new path is never wider than it, even for an instant; the umask can only
 * narrow it, and is undone right after. Paths that exist keep their mode: a directory the user made is theirs. Where
 * the file system has no POSIX permissions (Windows), paths are created without them.
 */
public final class FileModes {
    public static final Set<PosixFilePermission> OWNER_FILE = PosixFilePermissions.fromString("rw-------");
    public static final Set<PosixFilePermission> OWNER_DIRECTORY = PosixFilePermissions.fromString("rwx------");

    private FileModes() {}

    /**
     * The mode of a directory that holds files of {@code fileMode}: the same bits, and execute wherever read is given,
     * so that whoever may read the files may reach them (0600 gives 0700, 0640 gives 0750).
     */
    public static Set<PosixFilePermission> directoryMode(Set<PosixFilePermission> fileMode) {
        Set<PosixFilePermission> mode = EnumSet.noneOf(PosixFilePermission.class);
        mode.addAll(fileMode);
        if (fileMode.contains(PosixFilePermission.OWNER_READ)) {
            mode.add(PosixFilePermission.OWNER_EXECUTE);
        }
        if (fileMode.contains(PosixFilePermission.GROUP_READ)) {
            mode.add(PosixFilePermission.GROUP_EXECUTE);
        }
        if (fileMode.contains(PosixFilePermission.OTHERS_READ)) {
            mode.add(PosixFilePermission.OTHERS_EXECUTE);
        }
        return mode;
    }

    /** Creates {@code directory} and its missing parents with {@code mode}; directories that exist keep theirs. */
    public static void createDirectories(Path directory, Set<PosixFilePermission> mode) throws IOException {
        Path absolute = directory.toAbsolutePath();
        if (Files.isDirectory(absolute)) {
            return;
        }
        Path parent = absolute.getParent();
        if (parent != null) {
            createDirectories(parent, mode);
        }
        try {
            Files.createDirectory(absolute, attributes(absolute, mode));
        } catch (FileAlreadyExistsException e) {
            if (Files.isDirectory(absolute)) {
                return; // created by someone else meanwhile: theirs, so its mode is theirs too
            }
            throw e;
        }
        undoUmask(absolute, mode);
    }

    /** A new file with {@code mode}, open for writing; {@link FileAlreadyExistsException} when the name is taken. */
    public static FileChannel createFile(Path file, Set<PosixFilePermission> mode) throws IOException {
        FileChannel channel = FileChannel.open(file, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                attributes(file, mode));
        undoUmask(file, mode);
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

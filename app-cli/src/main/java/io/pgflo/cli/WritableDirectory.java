package io.pgflo.cli;

import io.pgflo.domain.ConfigurationException;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Makes sure a directory named by a flag exists and can be written before anything streams. Directories it creates
 * are 0700 whatever the umask: checkpoints and spooled transactions hold the source's data and are the owner's only.
 * A directory that exists keeps its mode.
 */
final class WritableDirectory {
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");

    private WritableDirectory() {}

    /** The directory, absolute and created if missing; {@code flag} names it in the error when it cannot be used. */
    static Path prepare(String flag, Path directory) {
        Path absolute = directory.toAbsolutePath();
        try {
            createOwnerOnly(absolute);
        } catch (IOException e) {
            throw new ConfigurationException("cannot create " + flag + " " + absolute + " (" + e + "); choose a writable directory");
        }
        if (!Files.isWritable(absolute)) {
            throw new ConfigurationException(flag + " " + absolute + " is not writable; choose a writable directory");
        }
        return absolute;
    }

    /**
     * Creates the directory and its missing parents 0700. The mode is given at creation, so a new directory is never
     * wider, even for an instant; the umask can only narrow it, and is undone right after.
     */
    private static void createOwnerOnly(Path absolute) throws IOException {
        if (Files.isDirectory(absolute)) {
            return;
        }
        Path parent = absolute.getParent();
        if (parent != null) {
            createOwnerOnly(parent);
        }
        boolean posix = absolute.getFileSystem().supportedFileAttributeViews().contains("posix");
        FileAttribute<?>[] attributes = posix
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_ONLY)}
                : new FileAttribute<?>[0];
        try {
            Files.createDirectory(absolute, attributes);
        } catch (FileAlreadyExistsException e) {
            if (Files.isDirectory(absolute)) {
                return; // created by someone else meanwhile: theirs, so its mode is theirs too
            }
            throw e;
        }
        if (posix) {
            try {
                Files.setPosixFilePermissions(absolute, OWNER_ONLY);
            } catch (IOException ignored) {
                // A file system that keeps no modes (vfat under Linux refuses chmod). Created with the mode, the
                // directory is no wider than it: at worst narrower.
            }
        }
    }
}

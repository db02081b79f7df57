package io.pgflo.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The operating-system account the embedded server's processes run as.
 *
 * <p>PostgreSQL refuses to run as root ({@code initdb: error: cannot be run as root}; {@code pg_ctl} and
 * {@code postgres} say the same), and zonky's {@code EmbeddedPostgres} has no way around that. Builds in containers
 * and on CI runners usually are root, so when this JVM is root every PostgreSQL command is started through a tool that
 * drops to an unprivileged account ({@code nobody} unless {@value TestkitSettings#OS_USER} names another), and the
 * directories the server writes are handed to that account. Otherwise commands run unchanged as the current user.
 */
final class ServerAccount {
    private static final ServerAccount CURRENT_USER = new ServerAccount(null, -1, -1, List.of());
    private static ServerAccount forThisProcess;

    private final String name;
    private final int uid;
    private final int gid;
    private final List<String> commandPrefix;

    private ServerAccount(String name, int uid, int gid, List<String> commandPrefix) {
        this.name = name;
        this.uid = uid;
        this.gid = gid;
        this.commandPrefix = List.copyOf(commandPrefix);
    }

    static synchronized ServerAccount forThisProcess(Path workDirectory) {
        if (forThisProcess == null) {
            forThisProcess = isRoot(workDirectory) ? unprivileged(TestkitSettings.osUser()) : CURRENT_USER;
        }
        return forThisProcess;
    }

    /** The command as it must be started so that it runs as this account. */
    List<String> command(List<String> command) {
        List<String> wrapped = new ArrayList<>(commandPrefix);
        wrapped.addAll(command);
        return wrapped;
    }

    /** Makes {@code path} belong to this account, so the server can write where root created a directory. */
    void own(Path path) {
        if (name == null) {
            return;
        }
        try {
            Files.setAttribute(path, "unix:uid", uid);
            Files.setAttribute(path, "unix:gid", gid);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot give " + path + " to account " + name, e);
        }
    }

    /**
     * Fails early, with advice, when the server account cannot reach {@code directory}: otherwise initdb fails later
     * with a bare "permission denied" (a {@code java.io.tmpdir} under {@code /root}, a umask of 077).
     */
    void checkCanReach(Path directory) {
        if (name == null) {
            return;
        }
        for (Path path = directory; path != null; path = path.getParent()) {
            try {
                int mode = (Integer) Files.getAttribute(path, "unix:mode");
                int owner = (Integer) Files.getAttribute(path, "unix:uid");
                if ((mode & 0001) == 0 && owner != uid) {
                    throw new IllegalStateException("PostgreSQL runs as " + describe() + ", which cannot enter " + path
                            + "; set " + TestkitSettings.WORK_DIRECTORY + " to a directory every account can reach,"
                            + " such as /tmp/pgflo-testkit");
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the permissions of " + path, e);
            }
        }
    }

    String describe() {
        return name == null ? System.getProperty("user.name", "the current user") : name + " (uid " + uid + ")";
    }

    private static boolean isRoot(Path workDirectory) {
        // A new file belongs to the effective user; this works on every POSIX JVM without JNI or jdk.security.auth.
        try {
            Path probe = Files.createTempFile(workDirectory, "uid", ".probe");
            try {
                return ((Integer) Files.getAttribute(probe, "unix:uid")) == 0;
            } finally {
                Files.deleteIfExists(probe);
            }
        } catch (UnsupportedOperationException | IllegalArgumentException e) {
            return false; // no unix attribute view: not a POSIX system, so no root either
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write to the testkit work directory " + workDirectory, e);
        }
    }

    private static ServerAccount unprivileged(String account) {
        int[] ids = lookUp(account).orElseThrow(() -> new IllegalStateException(
                "PostgreSQL refuses to run as root, and there is no account '" + account + "' in /etc/passwd to run it as;"
                        + " set " + TestkitSettings.OS_USER + " to an unprivileged account"));
        if (ids[0] == 0) {
            throw new IllegalStateException(TestkitSettings.OS_USER + " names '" + account
                    + "', which is root; PostgreSQL needs an unprivileged account");
        }
        int uid = ids[0];
        int gid = ids[1];
        // setpriv (util-linux) and runuser need no PAM session; chroot --userspec (coreutils) is on nearly every Linux.
        List<List<String>> candidates = List.of(
                List.of("setpriv", "--reuid=" + uid, "--regid=" + gid, "--clear-groups", "--"),
                List.of("runuser", "-u", account, "--"),
                List.of("chroot", "--userspec=" + uid + ":" + gid, "/"));
        List<String> tried = new ArrayList<>();
        for (List<String> candidate : candidates) {
            Optional<Path> tool = findExecutable(candidate.get(0));
            if (tool.isEmpty()) {
                tried.add(candidate.get(0) + " (not found)");
                continue;
            }
            List<String> prefix = new ArrayList<>(candidate);
            prefix.set(0, tool.get().toString());
            if (runsAs(prefix, uid)) {
                return new ServerAccount(account, uid, gid, prefix);
            }
            tried.add(tool.get() + " (did not switch to uid " + uid + ")");
        }
        throw new IllegalStateException("PostgreSQL refuses to run as root, and no tool could start it as '" + account
                + "'; tried " + String.join(", ", tried) + ". Run the build as an unprivileged user, install util-linux,"
                + " or set " + TestkitSettings.SERVER_KIND + "=docker");
    }

    private static boolean runsAs(List<String> prefix, int uid) {
        List<String> command = new ArrayList<>(prefix);
        command.add("id");
        command.add("-u");
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            process.getOutputStream().close();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            return process.waitFor(10, TimeUnit.SECONDS) && process.exitValue() == 0
                    && output.equals(Integer.toString(uid));
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** {uid, gid} from /etc/passwd; PostgreSQL itself needs the account to be there, so NSS lookups would not help. */
    private static Optional<int[]> lookUp(String account) {
        try {
            for (String line : Files.readAllLines(Path.of("/etc/passwd"), StandardCharsets.UTF_8)) {
                String[] fields = line.split(":", -1);
                if (fields.length >= 4 && fields[0].equals(account)) {
                    return Optional.of(new int[] {Integer.parseInt(fields[2]), Integer.parseInt(fields[3])});
                }
            }
            return Optional.empty();
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static Optional<Path> findExecutable(String name) {
        Set<String> directories = new LinkedHashSet<>();
        String path = System.getenv("PATH");
        if (path != null) {
            directories.addAll(List.of(path.split(java.io.File.pathSeparator)));
        }
        // Build tools sometimes run with a trimmed PATH that leaves out the sbin directories runuser lives in.
        directories.addAll(List.of("/usr/bin", "/bin", "/usr/sbin", "/sbin"));
        for (String directory : directories) {
            if (directory.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(directory, name);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }
}

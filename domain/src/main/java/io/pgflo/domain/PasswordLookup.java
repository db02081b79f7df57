package io.pgflo.domain;

import static java.util.Objects.requireNonNull;

import io.pgflo.sink.api.ConfigurationException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Finds the password for a {@link DatabaseEndpoint} as libpq does, so that a server set up for psql needs no password
 * flag: the endpoint's own password; else {@code PGPASSWORD}; else the first line for the endpoint's host, port,
 * database and user in the password file, {@code PGPASSFILE} or else {@code ~/.pgpass}. An empty password counts as
 * none, as in libpq.
 *
 * <p>The file's lines are {@code hostname:port:database:username:password}. A field that is {@code *} alone matches
 * anything; a backslash makes the next character literal ({@code \:}, {@code \\}); lines starting with {@code #} are
 * comments. The first matching line wins, even with an empty password. A file that group or others may access is not
 * used, with libpq's warning. pgjdbc reads the same file by itself when it is given no password, without that check,
 * so a line for this endpoint in such a file is refused outright rather than ignored.
 */
public final class PasswordLookup {
    /** The default password file, as messages name it. */
    public static final String DEFAULT_FILE = "~/.pgpass";

    private static final Set<PosixFilePermission> OWNER_ONLY = EnumSet.of(
            PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE);

    private final Map<String, String> environment;
    private final Consumer<String> warnings;
    // One warning per file and problem: a stream opens several connections, and each would repeat it.
    private final Set<String> warned = ConcurrentHashMap.newKeySet();

    /**
     * @param environment where {@code PGPASSWORD}, {@code PGPASSFILE} and {@code HOME} come from
     * @param warnings receives libpq's warnings about a password file that is not used
     */
    public PasswordLookup(Map<String, String> environment, Consumer<String> warnings) {
        this.environment = Map.copyOf(requireNonNull(environment, "environment is null"));
        this.warnings = requireNonNull(warnings, "warnings is null");
    }

    /** A lookup in this process's environment. */
    public static PasswordLookup ofThisProcess(Consumer<String> warnings) {
        return new PasswordLookup(System.getenv(), warnings);
    }

    /**
     * The password to connect to {@code endpoint} with, or empty when there is none and the server, should it ask,
     * gets none.
     *
     * @throws ConfigurationException when the password file holds a line for the endpoint but group or others may
     *     access it
     */
    public Optional<Password> find(DatabaseEndpoint endpoint) {
        requireNonNull(endpoint, "endpoint is null");
        if (isSet(endpoint.password())) {
            return Optional.of(new Password(endpoint.password(), Password.GIVEN));
        }
        String variable = environment.get("PGPASSWORD");
        if (isSet(variable)) {
            return Optional.of(new Password(variable, "PGPASSWORD"));
        }
        return fromFile(endpoint);
    }

    /** The password file as messages should name it: {@value #DEFAULT_FILE}, or the file {@code PGPASSFILE} names. */
    public String passwordFileName() {
        String named = environment.get("PGPASSFILE");
        return isSet(named) ? named : DEFAULT_FILE;
    }

    private Optional<Password> fromFile(DatabaseEndpoint endpoint) {
        Path file = passwordFile();
        if (file == null || !Files.exists(file)) {
            return Optional.empty();
        }
        if (!Files.isRegularFile(file)) {
            warnOnce("password file \"" + file + "\" is not a plain file");
            return Optional.empty();
        }
        String content;
        try {
            content = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return Optional.empty(); // libpq, too, passes over a file it cannot open
        }
        Optional<Password> found = PassFileLines.find(content, PassFileLines.hostKey(endpoint.host()),
                Integer.toString(endpoint.port()), endpoint.database(), endpoint.user(), file);
        if (othersMayAccess(file)) {
            if (found.isPresent()) {
                throw new ConfigurationException("password file " + file + " has a line for " + endpoint.describe()
                        + ", but group or others may access the file; run chmod 0600 " + file
                        + " (libpq ignores such a file, pgjdbc would not)");
            }
            warnOnce("password file \"" + file + "\" has group or world access;"
                    + " permissions should be u=rw (0600) or less");
            return Optional.empty();
        }
        return found;
    }

    private Path passwordFile() {
        String named = environment.get("PGPASSFILE");
        if (isSet(named)) {
            return Path.of(named);
        }
        String home = environment.get("HOME");
        if (!isSet(home)) {
            home = System.getProperty("user.home");
        }
        return isSet(home) ? Path.of(home, ".pgpass") : null;
    }

    private static boolean othersMayAccess(Path file) {
        try {
            return !OWNER_ONLY.containsAll(Files.getPosixFilePermissions(file));
        } catch (UnsupportedOperationException e) {
            return false; // no POSIX permissions (Windows): libpq does not check there either
        } catch (IOException e) {
            return false;
        }
    }

    private void warnOnce(String warning) {
        if (warned.add(warning)) {
            warnings.accept(warning);
        }
    }

    private static boolean isSet(String value) {
        return value != null && !value.isEmpty();
    }

    /**
     * A password and where it came from, for messages: {@value #GIVEN}, {@code PGPASSWORD}, or the file and line.
     * {@link #toString()} never shows the value.
     */
    public record Password(String value, String origin) {
        /** The origin of the endpoint's own password: the flag, or the variable the command line maps onto it. */
        public static final String GIVEN = "given";

        public Password {
            requireNonNull(value, "value is null");
            requireNonNull(origin, "origin is null");
        }

        /** True for the endpoint's own password, false for one from the environment or the password file. */
        public boolean given() {
            return GIVEN.equals(origin);
        }

        @Override
        public String toString() {
            return "Password[from " + origin + "]";
        }
    }
}

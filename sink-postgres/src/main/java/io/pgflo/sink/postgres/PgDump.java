package io.pgflo.sink.postgres;

import io.pgflo.sink.api.ConfigurationException;
import io.pgflo.domain.DatabaseEndpoint;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds a pg_dump that can dump the source, and runs it. The connection settings (password included) go to pg_dump
 * through its environment, never on its command line.
 *
 * <p>Lookup, first usable wins: {@code --pg-dump-path} (a file, or a directory holding pg_dump) alone when given;
 * otherwise every directory on {@code PATH}, then {@code /usr/lib/postgresql/<version>/bin} (Debian, Ubuntu),
 * {@code /usr/pgsql-<version>/bin} (RHEL), {@code /usr/local/pgsql/bin}, newest version first. Usable means its major
 * version is at least the source server's: pg_dump refuses to dump a newer server.
 */
final class PgDump {
    private static final Pattern VERSION = Pattern.compile("\\(PostgreSQL\\)\\s+(\\d+)(?:\\.(\\d+))?");
    private static final long TIMEOUT_MINUTES = 10;

    /** A pg_dump and its version. */
    record Found(Path path, int major, String version) {}

    /** The outcome of a lookup: a usable pg_dump, or why there is none. */
    record Lookup(Optional<Found> found, String problem) {}

    private PgDump() {}

    static Lookup find(Path configured, int sourceMajor) {
        List<Path> candidates = new ArrayList<>();
        if (configured != null) {
            candidates.add(Files.isDirectory(configured) ? configured.resolve("pg_dump") : configured);
        } else {
            candidates.addAll(searchPath());
        }
        List<String> tooOld = new ArrayList<>();
        for (Path candidate : candidates) {
            if (!Files.isRegularFile(candidate) || !Files.isExecutable(candidate)) {
                continue;
            }
            Optional<Found> found = version(candidate);
            if (found.isEmpty()) {
                tooOld.add(candidate + " (cannot read its version)");
            } else if (found.get().major() < sourceMajor) {
                tooOld.add(candidate + " is version " + found.get().version());
            } else {
                return new Lookup(found, null);
            }
        }
        String needed = "pg_dump " + sourceMajor + " or newer (the source runs PostgreSQL " + sourceMajor + ")";
        String problem;
        if (configured != null && tooOld.isEmpty()) {
            problem = "--pg-dump-path " + configured + " is not an executable pg_dump; " + needed + " is needed";
        } else if (!tooOld.isEmpty()) {
            problem = needed + " is needed, but " + String.join(", ", tooOld)
                    + "; install the PostgreSQL " + sourceMajor + " client tools or point --pg-dump-path at them";
        } else {
            problem = "pg_dump not found on PATH or in /usr/lib/postgresql/*/bin, /usr/pgsql-*/bin, /usr/local/pgsql/bin; "
                    + needed + ": install the PostgreSQL client tools (e.g. postgresql-client-" + sourceMajor
                    + ") or pass --pg-dump-path";
        }
        return new Lookup(Optional.empty(), problem);
    }

    /**
     * Runs pg_dump {@code --schema-only --no-owner --no-privileges} with {@code arguments} against {@code source} and
     * returns the SQL it wrote.
     *
     * @param snapshot a snapshot to dump under ({@code --snapshot}), checked by {@link SchemaSync#checkSnapshotId}; or
     *     null for the source as it is now
     */
    static String dumpSchema(Found pgDump, DatabaseEndpoint source, String snapshot, List<String> arguments) {
        List<String> command = new ArrayList<>();
        command.add(pgDump.path().toString());
        command.addAll(List.of("--schema-only", "--no-owner", "--no-privileges", "--no-subscriptions",
                "--no-publications", "--strict-names"));
        if (snapshot != null) {
            command.add("--snapshot=" + snapshot);
        }
        command.addAll(arguments);
        ProcessBuilder builder = new ProcessBuilder(command);
        Map<String, String> environment = builder.environment();
        environment.put("PGHOST", source.host());
        environment.put("PGPORT", Integer.toString(source.port()));
        environment.put("PGDATABASE", source.database());
        environment.put("PGUSER", source.user());
        environment.put("PGAPPNAME", "pg_flo-schema-sync");
        environment.put("PGCONNECT_TIMEOUT", "10");
        // The password the sink's own connection to the source used (from the flag, PGPASSWORD or the password file);
        // with none, pg_dump finds none either.
        PgConnections.password(source).ifPresentOrElse(password -> environment.put("PGPASSWORD", password.value()),
                () -> environment.remove("PGPASSWORD"));
        if (source.sslMode() != null) {
            environment.put("PGSSLMODE", source.sslMode());
        }
        if (source.sslRootCert() != null) {
            environment.put("PGSSLROOTCERT", source.sslRootCert());
        }
        Path out = null;
        Path err = null;
        try {
            out = Files.createTempFile("pg_flo-schema", ".sql");
            err = Files.createTempFile("pg_flo-schema", ".err");
            builder.redirectOutput(out.toFile()).redirectError(err.toFile());
            Process process = builder.start();
            if (!process.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new ConfigurationException(pgDump.path() + " did not finish within " + TIMEOUT_MINUTES
                        + " minutes dumping the schema of " + source.describe());
            }
            if (process.exitValue() != 0) {
                String stderr = Files.readString(err, StandardCharsets.UTF_8).strip();
                if (snapshot != null && stderr.contains("invalid snapshot identifier")) {
                    throw SchemaSync.snapshotReleased(source, snapshot, pgDump.path() + " says "
                            + SqlStates.abbreviate(SqlStates.firstLine(stderr), 300), null);
                }
                throw new ConfigurationException(pgDump.path() + " failed (exit " + process.exitValue() + ") dumping "
                        + "the schema of " + source.describe() + ": " + SqlStates.abbreviate(stderr.replace('\n', ' '), 600));
            }
            return Files.readString(out, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConfigurationException("cannot run " + pgDump.path() + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConfigurationException("interrupted while running " + pgDump.path(), e);
        } finally {
            deleteQuietly(out);
            deleteQuietly(err);
        }
    }

    /** pg_dump's pattern for exactly this name: double quotes make every character literal. */
    static String pattern(String schema, String name) {
        return quote(schema) + "." + quote(name);
    }

    static String pattern(String schema) {
        return quote(schema);
    }

    private static String quote(String name) {
        return "\"" + name.replace("\"", "\"\"") + "\"";
    }

    static Optional<Found> version(Path pgDump) {
        try {
            Process process = new ProcessBuilder(pgDump.toString(), "--version").redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return Optional.empty();
            }
            Matcher matcher = VERSION.matcher(output);
            if (process.exitValue() != 0 || !matcher.find()) {
                return Optional.empty();
            }
            String version = matcher.group(1) + (matcher.group(2) == null ? "" : "." + matcher.group(2));
            return Optional.of(new Found(pgDump, Integer.parseInt(matcher.group(1)), version));
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    private static List<Path> searchPath() {
        Set<Path> candidates = new LinkedHashSet<>();
        String path = System.getenv("PATH");
        if (path != null) {
            for (String directory : path.split(File.pathSeparator)) {
                if (!directory.isBlank()) {
                    candidates.add(Path.of(directory, "pg_dump"));
                }
            }
        }
        candidates.addAll(versionedDirectories(Path.of("/usr/lib/postgresql"), ""));
        candidates.addAll(versionedDirectories(Path.of("/usr"), "pgsql-"));
        candidates.add(Path.of("/usr/local/pgsql/bin/pg_dump"));
        return new ArrayList<>(candidates);
    }

    /** {@code <parent>/<prefix><version>/bin/pg_dump}, newest version first. */
    private static List<Path> versionedDirectories(Path parent, String prefix) {
        List<Path> found = new ArrayList<>();
        if (!Files.isDirectory(parent)) {
            return found;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(parent, prefix + "[0-9]*")) {
            for (Path entry : entries) {
                found.add(entry);
            }
        } catch (IOException e) {
            return List.of();
        }
        found.sort(Comparator.comparingDouble((Path entry) -> versionNumber(entry.getFileName().toString().substring(prefix.length())))
                .reversed());
        return found.stream().map(entry -> entry.resolve("bin").resolve("pg_dump")).toList();
    }

    private static double versionNumber(String text) {
        try {
            return Double.parseDouble(text);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static void deleteQuietly(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // A temporary file; the OS cleans up eventually.
            }
        }
    }
}

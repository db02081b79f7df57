package io.pgflo.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debezium Server, unpacked once from its distribution in the local Maven repository into
 * {@code benchmarks/target/debezium-server/} and reused by later runs. If the local repository lacks it, the harness
 * asks Maven for it ({@code ./mvnw -q dependency:get}); when that fails too, the contender is {@code not available}
 * with the reason.
 *
 * <p>Only what a PostgreSQL source with the HTTP sink needs is unpacked: the Cassandra connectors
 * ({@code connectors/}) and the scripting and Chronicle extras ({@code lib_opt/}) are left in the archive.
 */
final class DebeziumServerDistribution {
    static final String VERSION = "3.6.1.Final";
    static final String ARTIFACT = "io.debezium:debezium-server-dist:" + VERSION + ":tar.gz";
    private static final String TOP = "debezium-server";
    private static final long MAVEN_TIMEOUT_MINUTES = 20;
    private static final long TAR_TIMEOUT_MINUTES = 10;

    private final Path repository;
    private final Path home;
    private final Path archive;

    /**
     * @param repository the pg_flo repository (for {@code ./mvnw})
     * @param unpackDirectory where the distribution is unpacked, {@code benchmarks/target/debezium-server}
     */
    DebeziumServerDistribution(Path repository, Path unpackDirectory) {
        this.repository = repository;
        this.home = unpackDirectory;
        this.archive = Path.of(System.getProperty("user.home"), ".m2", "repository", "io", "debezium",
                "debezium-server-dist", VERSION, "debezium-server-dist-" + VERSION + ".tar.gz");
    }

    /** The unpacked server's directory (the runner jar, {@code lib/}, {@code config/lib}). */
    Path home() {
        return home;
    }

    Path runnerJar() {
        return home.resolve("debezium-server-dist-" + VERSION + "-runner.jar");
    }

    /** Unpacks the distribution unless a complete copy is there already; returns null, or why it cannot. */
    synchronized String prepare() {
        if (isComplete()) {
            return null;
        }
        try {
            if (!Files.isRegularFile(archive)) {
                String fetched = fetch();
                if (fetched != null) {
                    return fetched;
                }
            }
            return unpack();
        } catch (IOException e) {
            return "cannot unpack " + archive + ": " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted while unpacking " + archive;
        }
    }

    /** The marker is written last, so a half-unpacked tree (an interrupted run) is unpacked again. */
    private boolean isComplete() {
        return Files.isRegularFile(home.resolve(".unpacked-" + VERSION)) && Files.isRegularFile(runnerJar());
    }

    private String fetch() throws IOException, InterruptedException {
        System.err.println("Debezium Server " + VERSION + " is not in the local Maven repository: fetching " + ARTIFACT + "...");
        Path log = Files.createTempFile("pg_flo-bench-debezium-fetch", ".log");
        Process maven = new ProcessBuilder(repository.resolve("mvnw").toString(), "-q", "dependency:get",
                "-Dartifact=" + ARTIFACT, "-Dtransitive=false")
                .directory(repository.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        boolean exited = maven.waitFor(MAVEN_TIMEOUT_MINUTES, TimeUnit.MINUTES);
        if (!exited) {
            maven.destroyForcibly();
        }
        if (!exited || maven.exitValue() != 0 || !Files.isRegularFile(archive)) {
            String reason = "Debezium Server not in the local Maven repository and './mvnw dependency:get -Dartifact="
                    + ARTIFACT + "' " + (exited ? "failed" : "timed out") + ": " + lastLines(log);
            return reason;
        }
        Files.deleteIfExists(log);
        return null;
    }

    private String unpack() throws IOException, InterruptedException {
        System.err.println("unpacking Debezium Server " + VERSION + " into " + home + " (once)...");
        Path parent = home.getParent();
        Files.createDirectories(parent);
        // Unpacked next to the target and moved into place, so that an interrupted unpack leaves no half tree.
        Path staging = Files.createTempDirectory(parent, "debezium-server-unpacking");
        List<String> command = new ArrayList<>(List.of("tar", "-xzf", archive.toString(), "-C", staging.toString(),
                "--exclude=" + TOP + "/connectors/*", "--exclude=" + TOP + "/lib_opt/*"));
        Path log = staging.resolveSibling(staging.getFileName() + ".log");
        Process tar = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        boolean exited = tar.waitFor(TAR_TIMEOUT_MINUTES, TimeUnit.MINUTES);
        if (!exited) {
            tar.destroyForcibly();
        }
        if (!exited || tar.exitValue() != 0) {
            String reason = "cannot unpack " + archive + " with tar (" + (exited ? "status " + tar.exitValue() : "timed out")
                    + "): " + lastLines(log);
            FileTree.delete(staging);
            return reason;
        }
        Files.deleteIfExists(log);
        FileTree.delete(home);
        Files.move(staging.resolve(TOP), home);
        FileTree.delete(staging);
        if (!Files.isRegularFile(runnerJar())) {
            return "the unpacked distribution in " + home + " has no " + runnerJar().getFileName();
        }
        Files.writeString(home.resolve(".unpacked-" + VERSION), archive + "\n");
        return null;
    }

    private static String lastLines(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join(" | ", lines.subList(Math.max(0, lines.size() - 5), lines.size())).strip();
        } catch (IOException e) {
            return "(no output: " + e.getMessage() + ")";
        }
    }
}

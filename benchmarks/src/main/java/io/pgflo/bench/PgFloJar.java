package io.pgflo.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * The pg_flo command under test: the shaded {@code pg_flo.jar}, started as users start it, by the {@code pg_flo}
 * launcher (with its class-data-sharing archive) on this JVM's {@code java}.
 *
 * <p>Every contender of a run uses one snapshot of the jar and the launcher, copied into the run's directory at the
 * start: a build running meanwhile (other work on the same tree) rewrites {@code app-cli/target/pg_flo.jar} in place.
 * The launcher's archive is made there too, by the first command (the list of sinks), before any contender runs.
 */
final class PgFloJar {
    private static final Pattern SINK_LINE = Pattern.compile("^\\s+(\\S+)\\s+");

    private final Path source;
    private final Path jar;
    private final Path launcher;
    private final boolean cds;
    private List<String> sinks;
    private final Map<String, String> help = new HashMap<>();

    private PgFloJar(Path source, Path jar, Path launcher, boolean cds) {
        this.source = source;
        this.jar = jar;
        this.launcher = launcher;
        this.cds = cds;
    }

    /**
     * A snapshot of {@code jar} and {@code launcher} in {@code directory}, or the missing jar itself when there is
     * none.
     *
     * @param cds whether the launcher may use its class-data-sharing archive
     */
    static PgFloJar snapshot(Path jar, Path launcher, Path directory, boolean cds) throws IOException, InterruptedException {
        Path source = jar.toAbsolutePath().normalize();
        if (!Files.isRegularFile(source)) {
            return new PgFloJar(source, source, launcher, cds);
        }
        Files.createDirectories(directory);
        Path launcherCopy = directory.resolve("pg_flo");
        Files.copy(launcher, launcherCopy, StandardCopyOption.REPLACE_EXISTING);
        launcherCopy.toFile().setExecutable(true);
        Path copy = directory.resolve("pg_flo.jar");
        for (int attempt = 1; ; attempt++) {
            Files.copy(source, copy, StandardCopyOption.REPLACE_EXISTING);
            try (ZipFile zip = new ZipFile(copy.toFile())) {
                if (zip.getEntry("META-INF/MANIFEST.MF") != null) {
                    return new PgFloJar(source, copy, launcherCopy, cds);
                }
            } catch (ZipException e) {
                // Copied while a build was writing it.
            }
            if (attempt == 30) {
                throw new IOException(source + " is not a complete jar; is a build writing it?");
            }
            Thread.sleep(2_000);
        }
    }

    /** Where the snapshot came from. */
    Path source() {
        return source;
    }

    Path path() {
        return jar;
    }

    boolean exists() {
        return Files.isRegularFile(jar);
    }

    /** {@code pg_flo args...}, to run with {@link #environment}. */
    List<String> command(List<String> args) {
        List<String> command = new ArrayList<>();
        command.add(launcher.toString());
        command.addAll(args);
        return command;
    }

    /**
     * The launcher's settings: this JVM, {@code jvmOptions}, the archive in the run's directory.
     *
     * @throws IllegalArgumentException when an option holds whitespace (the launcher splits its options on it)
     */
    Map<String, String> environment(List<String> jvmOptions) {
        for (String option : jvmOptions) {
            if (option.chars().anyMatch(Character::isWhitespace)) {
                throw new IllegalArgumentException("JVM option '" + option + "' holds whitespace, which the pg_flo "
                        + "launcher's PGFLO_JAVA_OPTS cannot carry; use paths without spaces");
            }
        }
        Map<String, String> environment = new HashMap<>();
        environment.put("JAVA_HOME", System.getProperty("java.home"));
        environment.put("PGFLO_JAR", jar.toString());
        environment.put("PGFLO_JAVA_OPTS", String.join(" ", jvmOptions));
        environment.put("PGFLO_CDS_DIR", cdsDirectory().toString());
        if (!cds) {
            environment.put("PGFLO_CDS", "off");
        }
        return environment;
    }

    /**
     * {@code pg_flo args...} with output and errors on one stream, in an environment of the launcher's settings only
     * (none of ours).
     */
    ProcessBuilder processBuilder(List<String> args, List<String> jvmOptions) {
        ProcessBuilder builder = new ProcessBuilder(command(args)).redirectErrorStream(true);
        builder.environment().keySet().removeIf(name -> name.startsWith("PGFLO_"));
        builder.environment().putAll(environment(jvmOptions));
        return builder;
    }

    /** The launcher's archive directory: the run's own, beside the jar's snapshot. */
    private Path cdsDirectory() {
        return jar.resolveSibling("cds");
    }

    /**
     * Whether the launcher's archive served this run: {@code off (--no-cds)}, {@code used}, or why not (the first line
     * of what the training run said).
     */
    String classDataSharing() {
        if (!cds) {
            return "off (--no-cds)";
        }
        Path directory = cdsDirectory();
        if (!Files.isDirectory(directory)) {
            return "not made";
        }
        try (Stream<Path> files = Files.list(directory)) {
            List<Path> all = files.toList();
            if (all.stream().anyMatch(f -> f.getFileName().toString().endsWith(".jsa"))) {
                return "used";
            }
            for (Path failed : all) {
                if (failed.getFileName().toString().endsWith(".failed")) {
                    String why = Files.readString(failed).strip().lines().findFirst().orElse("no reason given");
                    return "not made (" + why + ")";
                }
            }
            return "not made";
        } catch (IOException e) {
            return "unknown (" + e.getMessage() + ")";
        }
    }

    /** The sinks {@code pg_flo sinks} lists: only those can be benchmarked. */
    synchronized List<String> sinks() {
        if (sinks == null) {
            List<String> names = new ArrayList<>();
            if (exists()) {
                for (String line : run("sinks").split("\n")) {
                    Matcher matcher = SINK_LINE.matcher(line);
                    if (matcher.find()) {
                        names.add(matcher.group(1));
                    }
                }
            }
            sinks = List.copyOf(names);
        }
        return sinks;
    }

    /** {@code pg_flo stream <sink> --help}, to adapt to the flags a sink has. */
    synchronized String sinkHelp(String sink) {
        return help.computeIfAbsent(sink, s -> run("stream", s, "--help"));
    }

    private String run(String... args) {
        try {
            Process process = processBuilder(List.of(args), List.of("-XX:TieredStopAtLevel=1")).start();
            byte[] output = process.getInputStream().readAllBytes();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
            return new String(output, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }
}

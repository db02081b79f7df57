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
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * The pg_flo command under test: the shaded {@code pg_flo.jar}, run with this JVM's {@code java}.
 *
 * <p>Every contender of a run uses one snapshot of the jar, copied into the run's directory at the start: a build
 * running meanwhile (other work on the same tree) rewrites {@code app-cli/target/pg_flo.jar} in place.
 */
final class PgFloJar {
    private static final Pattern SINK_LINE = Pattern.compile("^\\s+(\\S+)\\s+");

    private final Path source;
    private final Path jar;
    private List<String> sinks;
    private final Map<String, String> help = new HashMap<>();

    private PgFloJar(Path source, Path jar) {
        this.source = source;
        this.jar = jar;
    }

    /** A snapshot of {@code jar} in {@code directory}, or the missing jar itself when there is none. */
    static PgFloJar snapshot(Path jar, Path directory) throws IOException, InterruptedException {
        Path source = jar.toAbsolutePath().normalize();
        if (!Files.isRegularFile(source)) {
            return new PgFloJar(source, source);
        }
        Files.createDirectories(directory);
        Path copy = directory.resolve("pg_flo.jar");
        for (int attempt = 1; ; attempt++) {
            Files.copy(source, copy, StandardCopyOption.REPLACE_EXISTING);
            try (ZipFile zip = new ZipFile(copy.toFile())) {
                if (zip.getEntry("META-INF/MANIFEST.MF") != null) {
                    return new PgFloJar(source, copy);
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

    static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
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
        List<String> command = new ArrayList<>(List.of(javaExecutable(), "-Xshare:auto", "-XX:TieredStopAtLevel=1", "-jar", jar.toString()));
        command.addAll(List.of(args));
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
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

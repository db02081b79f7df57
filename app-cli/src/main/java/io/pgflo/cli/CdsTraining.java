package io.pgflo.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * The training run behind the {@code pg_flo} launcher's class-data-sharing archive: the launcher runs this once per
 * jar and JDK with {@code -XX:ArchiveClassesAtExit}, and every later start maps the classes it loaded instead of
 * reading, parsing and verifying them from the jar again (about half a second of each start).
 *
 * <p>It walks the start-up of every command (the command line, the sink registry and its Guice injector, logging, and
 * a stream up to its first connection attempt, which fails at once on a port nothing listens on) and then loads,
 * without initialising them, the classes of the libraries a stream uses. Nothing here touches a database or the
 * network beyond that refused connection.
 */
final class CdsTraining {
    /**
     * Libraries a stream loads classes from after start-up: the sinks' clients, the decoder, the JSON encoder, the
     * metrics endpoint (which otherwise cost a stream with --metrics-port 0.8 s of start). Not CEL and NATS's client,
     * whose many classes only opt-in features load.
     */
    private static final List<String> RUNTIME_PACKAGES = List.of(
            "io/pgflo/", "org/postgresql/", "com/fasterxml/jackson/", "okhttp3/", "okio/", "kotlin/",
            "io/github/resilience4j/", "com/google/inject/", "com/beust/jcommander/", "ch/qos/logback/", "org/slf4j/",
            "io/prometheus/");
    /** Not worth a place in the archive: the testkit (on the class path when tests run the training) and META-INF/. */
    private static final List<String> EXCLUDED = List.of("io/pgflo/testkit/", "META-INF/");
    private static final Duration TIME_LIMIT = Duration.ofSeconds(60);

    private CdsTraining() {}

    public static void main(String[] args) throws IOException, URISyntaxException {
        Main.configureGuice();
        // Every command here ends in well under a second; should one hang (a loopback that drops connections instead
        // of refusing them), the training ends anyway, and the JVM still writes the archive of what it loaded.
        Thread watchdog = new Thread(() -> {
            try {
                Thread.sleep(TIME_LIMIT.toMillis());
                System.exit(0);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "pg_flo-cds-training-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
        PrintStream discard = new PrintStream(OutputStream.nullOutputStream());
        Path directory = Files.createTempDirectory("pg_flo-cds-training");
        try {
            for (List<String> command : commands(directory)) {
                new PgFloCommandLine(Map.of(), discard, discard).execute(command.toArray(String[]::new));
            }
        } finally {
            DirectoryTree.delete(directory);
        }
        loadRuntimeClasses();
        StartupWarmUp.run(); // the classes of a SCRAM handshake and of pgjdbc's set-up, which a refused connection skips
    }

    /**
     * Each sink's stream against a port with no server behind it, and the commands that only print; all with an empty
     * plugins directory in {@code directory}, so that no plugin's code runs here.
     */
    static List<List<String>> commands(Path directory) {
        List<String> root = List.of("--plugins-dir", directory.resolve("plugins").toString());
        List<String> source = List.of("--host", "127.0.0.1", "--port", "1", "--dbname", "training", "--user", "training",
                "--group", "training", "--tables", "training", "--status-dir", directory.resolve("status").toString());
        return List.of(
                concat(root, List.of("--help")),
                concat(root, List.of("sinks")),
                concat(root, List.of("stream", "--help")),
                concat(root, List.of("stream", "stdout"), source),
                concat(root, List.of("stream", "file", "--output-dir", directory.resolve("output").toString()), source),
                concat(root, List.of("stream", "webhook", "--webhook-url", "http://127.0.0.1:1/"), source),
                concat(root, List.of("stream", "postgres", "--target-host", "127.0.0.1", "--target-port", "1",
                        "--target-dbname", "training", "--target-user", "training"), source));
    }

    @SafeVarargs
    private static List<String> concat(List<String>... parts) {
        return Stream.of(parts).flatMap(List::stream).toList();
    }

    private static void loadRuntimeClasses() throws IOException, URISyntaxException {
        Path jar = Path.of(CdsTraining.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        if (!Files.isRegularFile(jar)) {
            return; // run from a class directory (a test): nothing to archive
        }
        ClassLoader loader = CdsTraining.class.getClassLoader();
        try (JarFile file = new JarFile(jar.toFile())) {
            Enumeration<JarEntry> entries = file.entries();
            while (entries.hasMoreElements()) {
                String name = entries.nextElement().getName();
                if (isRuntimeClass(name)) {
                    try {
                        Class.forName(name.substring(0, name.length() - ".class".length()).replace('/', '.'), false, loader);
                    } catch (LinkageError | ClassNotFoundException e) {
                        // An optional dependency of a library that pg_flo does not ship: the class cannot be used anyway.
                    }
                }
            }
        }
    }

    static boolean isRuntimeClass(String entry) {
        if (!entry.endsWith(".class") || entry.endsWith("module-info.class") || entry.endsWith("package-info.class")) {
            return false;
        }
        for (String excluded : EXCLUDED) {
            if (entry.startsWith(excluded)) {
                return false;
            }
        }
        for (String runtime : RUNTIME_PACKAGES) {
            if (entry.startsWith(runtime)) {
                return true;
            }
        }
        return false;
    }
}

package io.pgflo.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The Java runtime for Debezium Server, which is compiled for Java 21 (class file version 65) while pg_flo and the
 * harness run on 17: the harness's own JDK ({@code JAVA_HOME} or the {@code PATH}'s, as {@code ./bench} chose it)
 * when it is new enough, else {@code PGFLO_BENCH_DEBEZIUM_JAVA_HOME}, else the newest JDK 21+ under
 * {@code /usr/lib/jvm}.
 *
 * @param home the JDK's directory
 * @param version its {@code JAVA_VERSION}, from its {@code release} file
 */
record DebeziumJava(Path home, String version) {
    static final int MINIMUM_MAJOR = 21;
    static final String OVERRIDE_VARIABLE = "PGFLO_BENCH_DEBEZIUM_JAVA_HOME";
    private static final Pattern VERSION = Pattern.compile("(?m)^JAVA_VERSION=\"([^\"]+)\"");

    Path executable() {
        return home.resolve("bin/java");
    }

    /** The runtime to use, or empty when there is none new enough; see {@link #describeSearch()}. */
    static Optional<DebeziumJava> find() {
        return candidates().stream().map(DebeziumJava::at).flatMap(Optional::stream)
                .filter(java -> major(java.version) >= MINIMUM_MAJOR).findFirst();
    }

    /** For the {@code not available} reason: what was looked at. */
    static String describeSearch() {
        List<String> seen = new ArrayList<>();
        for (Path candidate : candidates()) {
            seen.add(candidate + at(candidate).map(java -> " (" + java.version + ")").orElse(" (no JDK)"));
        }
        return "Debezium Server " + DebeziumServerDistribution.VERSION + " needs Java " + MINIMUM_MAJOR
                + " or newer; set " + OVERRIDE_VARIABLE + " to one. Looked at: " + String.join(", ", seen);
    }

    private static List<Path> candidates() {
        List<Path> candidates = new ArrayList<>();
        candidates.add(Path.of(System.getProperty("java.home"))); // the harness's: JAVA_HOME or the PATH's java
        String override = System.getenv(OVERRIDE_VARIABLE);
        if (override != null && !override.isBlank()) {
            candidates.add(Path.of(override));
        }
        Path jvms = Path.of("/usr/lib/jvm");
        if (Files.isDirectory(jvms)) {
            try (Stream<Path> homes = Files.list(jvms)) {
                homes.filter(Files::isDirectory)
                        .sorted(Comparator.comparingInt((Path home) -> at(home).map(java -> major(java.version)).orElse(0)).reversed())
                        .forEach(candidates::add);
            } catch (IOException ignored) {
                // Not readable: the others still count.
            }
        }
        return candidates;
    }

    private static Optional<DebeziumJava> at(Path home) {
        Path release = home.resolve("release");
        if (!Files.isExecutable(home.resolve("bin/java")) || !Files.isRegularFile(release)) {
            return Optional.empty();
        }
        try {
            Matcher matcher = VERSION.matcher(Files.readString(release));
            return matcher.find() ? Optional.of(new DebeziumJava(home, matcher.group(1))) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** 17 for "17.0.15", 25 for "25.0.3", 8 for "1.8.0_412". */
    static int major(String version) {
        String[] parts = version.split("[._+-]");
        try {
            int first = Integer.parseInt(parts[0]);
            return first == 1 && parts.length > 1 ? Integer.parseInt(parts[1]) : first;
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}

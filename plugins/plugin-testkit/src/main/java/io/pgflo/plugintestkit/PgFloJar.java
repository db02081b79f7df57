package io.pgflo.plugintestkit;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds the {@code pg_flo.jar} a run starts. The shipped jar rather than pg_flo's classes on the test's class path:
 * a plugin's tests have the plugin's own classes on that path, where pg_flo's plugin class loader would never see
 * them as it does in production.
 *
 * <p>In order: the system property {@value #PROPERTY}, the environment variable {@value #VARIABLE} (the one the
 * {@code pg_flo} launcher reads), {@code app-cli/target/pg_flo.jar} in the working directory or any directory above
 * it (where this repository's own build puts it), else the {@link PgFloArtifact} of the kit's version in a
 * {@linkplain LocalRepositories local Maven repository}, where installing pg_flo puts it for plugins built elsewhere.
 */
final class PgFloJar {
    static final String PROPERTY = "pgflo.jar";
    static final String VARIABLE = "PGFLO_JAR";
    private static final Path IN_A_CHECKOUT = Path.of("app-cli", "target", "pg_flo.jar");

    private PgFloJar() {}

    static Path locate() {
        List<Path> from = new ArrayList<>();
        // Surefire sets basedir to the module under test, which may differ from the working directory.
        if (System.getProperty("basedir") != null) {
            from.add(Path.of(System.getProperty("basedir")));
        }
        from.add(Path.of(System.getProperty("user.dir")));
        PgFloArtifact artifact = PgFloArtifact.ofThisKit();
        return locate(System.getProperty(PROPERTY), System.getenv(VARIABLE), from, artifact,
                LocalRepositories.of(artifact));
    }

    static Path locate(String property, String variable, List<Path> searchFrom, PgFloArtifact artifact,
            List<Path> repositories) {
        if (isSet(property) || isSet(variable)) {
            String setting = isSet(property) ? "system property " + PROPERTY : "environment variable " + VARIABLE;
            Path jar = Path.of(isSet(property) ? property : variable).toAbsolutePath().normalize();
            if (!Files.isRegularFile(jar)) {
                throw new IllegalStateException("pg_flo.jar not found at " + jar + " (from the " + setting + ")");
            }
            return jar;
        }
        List<String> looked = new ArrayList<>();
        for (Path from : searchFrom.stream().map(start -> start.toAbsolutePath().normalize()).distinct().toList()) {
            for (Path directory = from; directory != null; directory = directory.getParent()) {
                Path candidate = directory.resolve(IN_A_CHECKOUT);
                if (Files.isRegularFile(candidate)) {
                    return candidate;
                }
            }
            looked.add(IN_A_CHECKOUT + " in " + from + " or any directory above it");
        }
        for (Path repository : repositories) {
            Path candidate = artifact.in(repository);
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
            looked.add(candidate.toString());
        }
        throw new IllegalStateException("pg_flo.jar not found: neither the system property " + PROPERTY
                + " nor the environment variable " + VARIABLE + " is set, and it is not at\n  "
                + String.join("\n  ", looked) + "\nSet one of the two to the pg_flo.jar your plugin targets, or "
                + "install " + artifact + " into your local Maven repository (from a pg_flo checkout of that "
                + "version: ./mvnw -pl app-cli -am install -DskipTests).");
    }

    private static boolean isSet(String value) {
        return value != null && !value.isBlank();
    }
}

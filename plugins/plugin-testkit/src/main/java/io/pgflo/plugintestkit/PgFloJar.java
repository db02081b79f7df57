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
 * {@code pg_flo} launcher reads), else {@code app-cli/target/pg_flo.jar} in the working directory or one above it,
 * which is where this repository's own build puts it.
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
        return locate(System.getProperty(PROPERTY), System.getenv(VARIABLE), from);
    }

    static Path locate(String property, String variable, List<Path> searchFrom) {
        if (isSet(property) || isSet(variable)) {
            String setting = isSet(property) ? "system property " + PROPERTY : "environment variable " + VARIABLE;
            Path jar = Path.of(isSet(property) ? property : variable).toAbsolutePath().normalize();
            if (!Files.isRegularFile(jar)) {
                throw new IllegalStateException("pg_flo.jar not found at " + jar + " (from the " + setting + ")");
            }
            return jar;
        }
        for (Path start : searchFrom) {
            for (Path directory = start.toAbsolutePath().normalize(); directory != null; directory = directory.getParent()) {
                Path candidate = directory.resolve(IN_A_CHECKOUT);
                if (Files.isRegularFile(candidate)) {
                    return candidate;
                }
            }
        }
        throw new IllegalStateException("pg_flo.jar not found: set the system property " + PROPERTY
                + " or the environment variable " + VARIABLE + " to the pg_flo.jar your plugin targets (a pg_flo "
                + "checkout builds app-cli/target/pg_flo.jar with ./mvnw -pl app-cli -am package -DskipTests)");
    }

    private static boolean isSet(String value) {
        return value != null && !value.isBlank();
    }
}

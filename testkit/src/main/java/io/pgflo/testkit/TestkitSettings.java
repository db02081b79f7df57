package io.pgflo.testkit;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * The knobs a build or a developer can turn without code. Each is read as a system property first and then as an
 * environment variable of the same name, so {@code -DPGFLO_TEST_POSTGRES=embedded} on the Maven command line and
 * {@code PGFLO_TEST_POSTGRES=embedded} in a CI file mean the same thing.
 */
final class TestkitSettings {
    /** {@code embedded}, {@code docker}, or unset/{@code auto}: Docker when an engine answers, embedded otherwise. */
    static final String SERVER_KIND = "PGFLO_TEST_POSTGRES";
    /** The operating-system account the embedded server runs as when the JVM runs as root. */
    static final String OS_USER = "PGFLO_TEST_POSTGRES_OS_USER";
    /** Where embedded binaries and data directories go. */
    static final String WORK_DIRECTORY = "PGFLO_TESTKIT_DIR";
    /** The Docker image for the Testcontainers path. */
    static final String DOCKER_IMAGE = "PGFLO_TEST_POSTGRES_IMAGE";

    private TestkitSettings() {}

    static Optional<String> lookup(String name) {
        String value = System.getProperty(name);
        if (value == null || value.isBlank()) {
            value = System.getenv(name);
        }
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
    }

    static Path workDirectory() {
        // The user name keeps two accounts on one machine from fighting over a directory only one of them can write.
        String user = System.getProperty("user.name", "unknown").replaceAll("[^A-Za-z0-9_.-]", "_");
        return lookup(WORK_DIRECTORY)
                .map(Path::of)
                .orElseGet(() -> Path.of(System.getProperty("java.io.tmpdir"), "pgflo-testkit-" + user))
                .toAbsolutePath();
    }

    static String dockerImage() {
        return lookup(DOCKER_IMAGE).orElse("postgres:15");
    }

    static String osUser() {
        return lookup(OS_USER).orElse("nobody");
    }

    static String serverKind() {
        return lookup(SERVER_KIND).orElse("auto").toLowerCase(Locale.ROOT);
    }
}

package io.pgflo.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.Test;

/**
 * What ships in {@code pg_flo.jar}. Here rather than in app-cli because this module's tests run after app-cli's
 * package phase has built the jar.
 */
class PgFloJarContentsTest {
    private static final Path JAR = repository().resolve("app-cli/target/pg_flo.jar");

    /** Test libraries and their glue: nothing in the product calls them, and they would be on every user's class path. */
    private static final List<String> TEST_CODE = List.of("org/junit/", "org/opentest4j/", "org/assertj/",
            "org/testcontainers/", "io/pgflo/testkit/", "io/zonky/test/db/postgres/junit/",
            "io/zonky/test/db/postgres/junit5/");

    @Test
    void holdsNoTestLibrary() throws IOException {
        assertThat(JAR).as("the shaded jar (built by app-cli's package phase, before this module's tests)").isRegularFile();
        try (JarFile jar = new JarFile(JAR.toFile())) {
            List<String> entries = jar.stream().map(ZipEntry::getName).toList();

            assertThat(entries).as("pg_flo's own classes").contains("io/pgflo/cli/Main.class");
            assertThat(entries).as("the demo's embedded PostgreSQL").contains(
                    "io/zonky/test/db/postgres/embedded/EmbeddedPostgres.class");
            assertThat(entries.stream().filter(PgFloJarContentsTest::isTestCode).toList()).isEmpty();
        }
    }

    private static boolean isTestCode(String entry) {
        return TEST_CODE.stream().anyMatch(entry::startsWith);
    }

    private static Path repository() {
        Path module = Path.of("").toAbsolutePath();
        return module.getFileName().toString().equals("benchmarks") ? module.getParent() : module;
    }
}

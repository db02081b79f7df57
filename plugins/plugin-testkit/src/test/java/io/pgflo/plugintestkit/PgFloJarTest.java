package io.pgflo.plugintestkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PgFloJarTest {
    private static final PgFloArtifact ARTIFACT = new PgFloArtifact("io.pgflo", "app-cli", "1.2.3", "all");

    @TempDir
    Path dir;

    @Test
    void theSystemPropertyWinsOverTheEnvironmentVariable() throws Exception {
        Path property = Files.createFile(dir.resolve("a.jar"));
        Path variable = Files.createFile(dir.resolve("b.jar"));
        assertThat(locate(property.toString(), variable.toString(), List.of())).isEqualTo(property);
        assertThat(locate(null, variable.toString(), List.of())).isEqualTo(variable);
    }

    @Test
    void aConfiguredJarThatIsMissingIsNamedWithItsSetting() {
        assertThatThrownBy(() -> locate(null, dir.resolve("gone.jar").toString(), List.of(dir)))
                .hasMessage("pg_flo.jar not found at " + dir.resolve("gone.jar") + " (from the environment variable PGFLO_JAR)");
    }

    @Test
    void inAPgFloCheckoutItIsAppClisBuildOutputFoundFromAnyModule() throws Exception {
        Path jar = Files.createDirectories(dir.resolve("app-cli/target")).resolve("pg_flo.jar");
        Files.createFile(jar);
        Path module = Files.createDirectories(dir.resolve("plugins/my-plugin"));
        assertThat(locate(" ", null, List.of(module))).isEqualTo(jar);
    }

    @Test
    void elsewhereItIsTheInstalledArtifactInTheFirstLocalRepositoryThatHasIt() throws Exception {
        Path empty = Files.createDirectories(dir.resolve("empty-repository"));
        Path repository = dir.resolve("repository");
        Path installed = install(repository);
        Path other = dir.resolve("other-repository");
        install(other);
        Path plugin = Files.createDirectories(dir.resolve("my-plugin"));

        assertThat(installed).isEqualTo(repository.resolve("io/pgflo/app-cli/1.2.3/app-cli-1.2.3-all.jar"));
        assertThat(PgFloJar.locate(null, null, List.of(plugin), ARTIFACT,
                List.of(empty, dir.resolve("missing"), repository, other))).isEqualTo(installed);
    }

    @Test
    void aCheckoutWinsOverAnInstalledJar() throws Exception {
        Path repository = dir.resolve("repository");
        install(repository);
        Path checkout = Files.createDirectories(dir.resolve("pg_flo/app-cli/target")).resolve("pg_flo.jar");
        Files.createFile(checkout);
        assertThat(PgFloJar.locate(null, null, List.of(dir.resolve("pg_flo")), ARTIFACT, List.of(repository)))
                .isEqualTo(checkout);
    }

    @Test
    void withNothingToGoOnTheMessageNamesEveryPlaceItLookedAndWhatToDo() {
        Path module = dir.resolve("my-plugin");
        Path first = dir.resolve("m2");
        Path second = dir.resolve("home/.m2/repository");
        assertThatThrownBy(() -> PgFloJar.locate(null, null, List.of(module, dir, module), ARTIFACT,
                List.of(first, second)))
                .hasMessage("pg_flo.jar not found: neither the system property pgflo.jar nor the environment variable "
                        + "PGFLO_JAR is set, and it is not at\n"
                        + "  app-cli/target/pg_flo.jar in " + module + " or any directory above it\n"
                        + "  app-cli/target/pg_flo.jar in " + dir + " or any directory above it\n"
                        + "  " + first.resolve("io/pgflo/app-cli/1.2.3/app-cli-1.2.3-all.jar") + "\n"
                        + "  " + second.resolve("io/pgflo/app-cli/1.2.3/app-cli-1.2.3-all.jar") + "\n"
                        + "Set one of the two to the pg_flo.jar your plugin targets, or install "
                        + "io.pgflo:app-cli:1.2.3:jar:all into your local Maven repository (from a pg_flo checkout of "
                        + "that version: ./mvnw -pl app-cli -am install -DskipTests).");
    }

    private static Path locate(String property, String variable, List<Path> searchFrom) {
        return PgFloJar.locate(property, variable, searchFrom, ARTIFACT, List.of());
    }

    /** A fake install: a file where Maven would put the artifact in {@code repository}. */
    private static Path install(Path repository) throws Exception {
        Path jar = repository.resolve("io/pgflo/app-cli/1.2.3/app-cli-1.2.3-all.jar");
        Files.createDirectories(jar.getParent());
        return Files.createFile(jar);
    }
}

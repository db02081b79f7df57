package io.pgflo.plugintestkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PgFloJarTest {
    @TempDir
    Path dir;

    @Test
    void theSystemPropertyWinsOverTheEnvironmentVariable() throws Exception {
        Path property = Files.createFile(dir.resolve("a.jar"));
        Path variable = Files.createFile(dir.resolve("b.jar"));
        assertThat(PgFloJar.locate(property.toString(), variable.toString(), List.of())).isEqualTo(property);
        assertThat(PgFloJar.locate(null, variable.toString(), List.of())).isEqualTo(variable);
    }

    @Test
    void aConfiguredJarThatIsMissingIsNamedWithItsSetting() {
        assertThatThrownBy(() -> PgFloJar.locate(null, dir.resolve("gone.jar").toString(), List.of(dir)))
                .hasMessage("pg_flo.jar not found at " + dir.resolve("gone.jar") + " (from the environment variable PGFLO_JAR)");
    }

    @Test
    void inAPgFloCheckoutItIsAppClisBuildOutputFoundFromAnyModule() throws Exception {
        Path jar = Files.createDirectories(dir.resolve("app-cli/target")).resolve("pg_flo.jar");
        Files.createFile(jar);
        Path module = Files.createDirectories(dir.resolve("plugins/my-plugin"));
        assertThat(PgFloJar.locate(" ", null, List.of(module))).isEqualTo(jar);
    }

    @Test
    void withNothingToGoOnTheMessageSaysWhatToSet() {
        assertThatThrownBy(() -> PgFloJar.locate(null, null, List.of(dir)))
                .hasMessageStartingWith("pg_flo.jar not found: set the system property pgflo.jar or the environment "
                        + "variable PGFLO_JAR");
    }
}

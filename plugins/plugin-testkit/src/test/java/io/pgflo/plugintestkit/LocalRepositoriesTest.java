package io.pgflo.plugintestkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalRepositoriesTest {
    private static final PgFloArtifact ARTIFACT = new PgFloArtifact("io.pgflo", "app-cli", "1.2.3", "all");

    @TempDir
    Path dir;

    @Test
    void theKitsOwnRepositoryComesFirstThenMavenRepoLocalThenTheDefault() throws Exception {
        Path kitJar = kitJarIn(dir.resolve("settings-repository"), "1.2.3");
        assertThat(LocalRepositories.of(ARTIFACT, Optional.of(kitJar), dir.resolve("repo-local").toString(),
                dir.resolve("home").toString()))
                .containsExactly(dir.resolve("settings-repository"), dir.resolve("repo-local"),
                        dir.resolve("home/.m2/repository"));
    }

    @Test
    void aRepositoryIsNamedOnce() throws Exception {
        Path kitJar = kitJarIn(dir.resolve("home/.m2/repository"), "1.2.3");
        assertThat(LocalRepositories.of(ARTIFACT, Optional.of(kitJar), " ", dir.resolve("home").toString()))
                .containsExactly(dir.resolve("home/.m2/repository"));
    }

    @Test
    void aKitOutsideARepositoryAddsNone() throws Exception {
        Path target = Files.createDirectories(dir.resolve("plugin-testkit/target")).resolve("plugin-testkit-1.2.3.jar");
        Files.createFile(target);
        assertThat(LocalRepositories.holding(target, ARTIFACT)).isEmpty();
        // Another version's directory, or another group's, is not where this artifact's group and version live.
        assertThat(LocalRepositories.holding(kitJarIn(dir.resolve("a"), "9.9.9"), ARTIFACT)).isEmpty();
        Path otherGroup = Files.createDirectories(dir.resolve("b/org/other/plugin-testkit/1.2.3")).resolve("k.jar");
        assertThat(LocalRepositories.holding(Files.createFile(otherGroup), ARTIFACT)).isEmpty();
    }

    private static Path kitJarIn(Path repository, String version) throws Exception {
        Path jar = repository.resolve("io/pgflo/plugin-testkit/" + version + "/plugin-testkit-" + version + ".jar");
        Files.createDirectories(jar.getParent());
        return Files.createFile(jar);
    }
}

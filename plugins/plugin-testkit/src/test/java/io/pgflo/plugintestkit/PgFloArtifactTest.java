package io.pgflo.plugintestkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class PgFloArtifactTest {
    @Test
    void theKitNamesAppClisShadedJarOfItsOwnVersion() {
        // The resource is filtered by the build: no ${...} left, and the version is this module's.
        assertThat(PgFloArtifact.ofThisKit().toString())
                .isEqualTo("io.pgflo:app-cli:" + System.getProperty("pgflo.kit.version") + ":jar:all")
                .doesNotContain("${");
    }

    @Test
    void itLivesWhereMavenInstallsAClassifiedJar() {
        PgFloArtifact artifact = new PgFloArtifact("io.pgflo", "app-cli", "1.2.3-SNAPSHOT", "all");
        assertThat(artifact.in(Path.of("/repository")))
                .isEqualTo(Path.of("/repository/io/pgflo/app-cli/1.2.3-SNAPSHOT/app-cli-1.2.3-SNAPSHOT-all.jar"));
    }
}

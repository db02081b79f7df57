package io.pgflo.plugintestkit;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The local Maven repositories pg_flo.jar may be installed in, in order: the one this kit's jar was resolved into,
 * the system property {@code maven.repo.local}, {@code ~/.m2/repository}.
 *
 * <p>The kit's own repository comes first because Maven resolves all of a build's dependencies into one repository,
 * wherever settings.xml or {@code -Dmaven.repo.local} put it, and a test JVM is told neither. app-cli shares the kit's
 * group and version, so a pg_flo installed with the kit sits beside it.
 */
final class LocalRepositories {
    private LocalRepositories() {}

    static List<Path> of(PgFloArtifact artifact) {
        return of(artifact, kitJar(), System.getProperty("maven.repo.local"), System.getProperty("user.home"));
    }

    static List<Path> of(PgFloArtifact artifact, Optional<Path> kitJar, String mavenRepoLocal, String userHome) {
        Set<Path> repositories = new LinkedHashSet<>();
        kitJar.flatMap(jar -> holding(jar, artifact)).ifPresent(repositories::add);
        if (mavenRepoLocal != null && !mavenRepoLocal.isBlank()) {
            repositories.add(Path.of(mavenRepoLocal).toAbsolutePath().normalize());
        }
        if (userHome != null && !userHome.isBlank()) {
            repositories.add(Path.of(userHome, ".m2", "repository").toAbsolutePath().normalize());
        }
        return List.copyOf(repositories);
    }

    /**
     * The repository {@code jar} was installed in, when it sits where Maven puts an artifact of the artifact's group
     * and version ({@code <repository>/io/pgflo/<artifactId>/<version>/}); empty otherwise, as for classes in a build's
     * target directory.
     */
    static Optional<Path> holding(Path jar, PgFloArtifact artifact) {
        Path versionDirectory = jar.toAbsolutePath().normalize().getParent();
        if (versionDirectory == null || versionDirectory.getFileName() == null
                || !versionDirectory.getFileName().toString().equals(artifact.version())
                || versionDirectory.getParent() == null) {
            return Optional.empty();
        }
        Path groupDirectory = versionDirectory.getParent().getParent();
        Path group = artifact.groupIn(Path.of(""));
        if (groupDirectory == null || !groupDirectory.endsWith(group)) {
            return Optional.empty();
        }
        Path repository = groupDirectory;
        for (int i = 0; i < group.getNameCount() && repository != null; i++) {
            repository = repository.getParent();
        }
        return Optional.ofNullable(repository);
    }

    private static Optional<Path> kitJar() {
        try {
            CodeSource source = LocalRepositories.class.getProtectionDomain().getCodeSource();
            if (source == null || source.getLocation() == null) {
                return Optional.empty();
            }
            Path path = Path.of(source.getLocation().toURI());
            return Files.isRegularFile(path) ? Optional.of(path) : Optional.empty();
        } catch (URISyntaxException | RuntimeException e) {
            // A class loader that hides where the kit came from: the other repositories remain.
            return Optional.empty();
        }
    }
}

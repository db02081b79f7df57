package io.pgflo.plugintestkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Everything of one run on disk: {@code plugins/} (the plugin jar, alone), {@code status/} (pg_flo's checkpoints) and
 * {@code logs/} (each process's stdout and stderr). Every start of a run uses the same directory, so a restart
 * resumes where the last process stopped. By default it lies in {@code target/pg_flo-runs/} of the module under test,
 * where CI keeps it with the test reports and the next {@code mvn clean} removes it.
 */
final class RunDirectory {
    private final Path root;

    private RunDirectory(Path root) {
        this.root = root;
    }

    static RunDirectory at(Path directory) {
        return new RunDirectory(directory.toAbsolutePath().normalize());
    }

    static RunDirectory create(String prefix) {
        try {
            String basedir = System.getProperty("basedir");
            if (basedir != null && Files.isDirectory(Path.of(basedir, "target"))) {
                Path runs = Files.createDirectories(Path.of(basedir, "target", "pg_flo-runs"));
                return at(Files.createTempDirectory(runs, prefix + "-"));
            }
            return at(Files.createTempDirectory("pg_flo-run-" + prefix + "-"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a directory for a pg_flo run", e);
        }
    }

    Path root() {
        return root;
    }

    Path plugins() {
        return root.resolve("plugins");
    }

    Path status() {
        return root.resolve("status");
    }

    /**
     * Makes {@code jar} the only plugin: a jar left by an earlier start (say the old version in an upgrade test) would
     * otherwise be loaded beside it, and the sink name would clash.
     */
    void installPlugin(Path jar) {
        try {
            Files.createDirectories(plugins());
            try (DirectoryStream<Path> old = Files.newDirectoryStream(plugins(), "*.jar")) {
                for (Path each : old) {
                    Files.delete(each);
                }
            }
            Files.copy(jar, plugins().resolve(jar.getFileName()), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot put " + jar + " into " + plugins(), e);
        }
    }

    /**
     * The stdout file of the next process, numbered in start order (counting those of earlier runs in the same
     * directory, whose files stay); the stderr file is beside it.
     */
    Path nextStdout() {
        try {
            Path logs = Files.createDirectories(root.resolve("logs"));
            for (int number = 1; ; number++) {
                Path stdout = logs.resolve("pg_flo-" + number + ".stdout");
                if (!Files.exists(stdout)) {
                    return Files.createFile(stdout);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + root.resolve("logs"), e);
        }
    }

    static Path stderrBeside(Path stdout) {
        String name = stdout.getFileName().toString();
        return stdout.resolveSibling(name.substring(0, name.length() - ".stdout".length()) + ".stderr");
    }
}

package io.pgflo.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** The repository's commit (and whether the tree had changes), so results can be traced to the code measured. */
final class GitCommit {
    private GitCommit() {}

    static String describe(Path anyPathInRepository) {
        Path directory = anyPathInRepository.toAbsolutePath().getParent();
        while (directory != null && !directory.resolve(".git").toFile().exists()) {
            directory = directory.getParent();
        }
        if (directory == null) {
            return "unknown";
        }
        String commit = git(directory, "rev-parse", "--short", "HEAD");
        String changes = git(directory, "status", "--porcelain", "--untracked-files=no");
        return commit.isEmpty() ? "unknown" : commit + (changes.isEmpty() ? "" : " with uncommitted changes");
    }

    private static String git(Path directory, String... args) {
        String[] command = new String[args.length + 3];
        command[0] = "git";
        command[1] = "-C";
        command[2] = directory.toString();
        System.arraycopy(args, 0, command, 3, args.length);
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            return process.waitFor(10, TimeUnit.SECONDS) && process.exitValue() == 0 ? output : "";
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }
}

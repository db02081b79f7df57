package io.pgflo.bench;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;

/**
 * The results as JSON, for tracking: {@code results/<timestamp>.json} for every run, and {@code results/latest.json}
 * (small, worth committing) for a plain benchmark run.
 */
final class ResultsFile {
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .setSerializationInclusion(JsonInclude.Include.NON_NULL);

    /**
     * @param timestamp UTC, {@code yyyyMMdd-HHmmss}
     * @param server the source server's {@code version()}
     * @param tool versions and paths of what was measured
     * @param contenders what each contender measures
     */
    record Run(String timestamp, MachineInfo machine, String server, Map<String, String> tool,
            Map<String, String> workloads, Map<String, String> contenders, List<ContenderResult> results) {}

    private ResultsFile() {}

    static Path write(Path directory, Run run, boolean alsoLatest, String prefix) throws IOException {
        Files.createDirectories(directory);
        Path file = directory.resolve(prefix + run.timestamp() + ".json");
        JSON.writeValue(file.toFile(), run);
        if (alsoLatest) {
            Files.copy(file, directory.resolve("latest.json"), StandardCopyOption.REPLACE_EXISTING);
        }
        return file;
    }
}

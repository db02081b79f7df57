package io.pgflo.json;

import static java.util.Objects.requireNonNull;

import io.pgflo.domain.CopyProgressStore;
import io.pgflo.domain.CopyState;
import io.pgflo.sink.api.Position;
import io.pgflo.sink.api.TableName;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * An initial copy's progress in {@code --status-dir}, saved atomically and durably as a {@link JsonStatusFile}:
 * {@code {"lsn":"0/16B3748","updated_at":"...","state":"copying","finished.0":"\"public\".\"users\""}}, with the
 * stream's consistent point as the LSN and each finished table as a quoted SQL name.
 */
public final class JsonCopyProgress implements CopyProgressStore {
    /** The file's name in the status directory. */
    public static final String FILE = "pg_flo_copy_progress.json";
    private static final String STATE = "state";
    private static final String COPYING = "copying";
    private static final String COMPLETE = "complete";
    private static final String FINISHED = "finished.";

    private final Path path;
    private final JsonStatusFile status;

    /** The progress file of {@code statusDirectory}, created there when first saved. */
    public JsonCopyProgress(Path statusDirectory) {
        this.path = requireNonNull(statusDirectory, "statusDirectory is null").resolve(FILE);
        this.status = new JsonStatusFile(path);
    }

    @Override
    public Optional<CopyState> load() {
        if (!Files.exists(path)) {
            return Optional.empty();
        }
        JsonStatusFile.StatusRecord record = status.loadRecord();
        String state = record.attributes().get(STATE);
        if (COMPLETE.equals(state)) {
            return Optional.empty();
        }
        if (!COPYING.equals(state)) {
            throw new IllegalStateException("copy progress " + path + " is corrupt (state '" + state
                    + "'): delete it to copy every table again");
        }
        Set<TableName> finished = new LinkedHashSet<>();
        record.attributes().forEach((name, value) -> {
            if (name.startsWith(FINISHED)) {
                finished.add(QuotedNames.parse(value, path));
            }
        });
        return Optional.of(new CopyState(record.position().lsn(), finished));
    }

    @Override
    public void save(CopyState state) {
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put(STATE, COPYING);
        int index = 0;
        for (TableName table : state.finished()) {
            attributes.put(FINISHED + index++, QuotedNames.quote(table));
        }
        status.save(new JsonStatusFile.StatusRecord(Position.afterTransaction(state.consistentPoint()), attributes));
    }

    @Override
    public void complete() {
        Position position = Files.exists(path) ? status.load() : Position.START;
        status.save(new JsonStatusFile.StatusRecord(position, Map.of(STATE, COMPLETE)));
    }
}

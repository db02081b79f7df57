package io.pgflo.cli;

import com.beust.jcommander.IDefaultProvider;
import io.pgflo.sink.api.Option;
import java.util.Map;

/**
 * Takes any flag's value from the environment when the command line does not give it: {@code --status-dir} from
 * {@code PGFLO_STATUS_DIR}, {@code --password} from {@code PGFLO_PASSWORD}, and so on.
 */
final class EnvironmentDefaults implements IDefaultProvider {
    private final Map<String, String> environment;

    EnvironmentDefaults(Map<String, String> environment) {
        this.environment = environment;
    }

    static String variableFor(String optionName) {
        return Option.environmentVariable(optionName);
    }

    @Override
    public String getDefaultValueFor(String optionName) {
        if (!optionName.startsWith("--") || optionName.equals("--help")) {
            return null;
        }
        return environment.get(variableFor(optionName));
    }
}

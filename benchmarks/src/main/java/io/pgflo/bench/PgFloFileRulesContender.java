package io.pgflo.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The file sink with five rules on the benchmark table, one of each kind, none of which leaves a row out (so the
 * output is as large as the file row's, but for one small column): what rules cost is this row's rate against the
 * file row's.
 */
final class PgFloFileRulesContender extends PgFloFileContender {
    static final String RULES = """
            tables:
              %s:
                - type: transform
                  column: name
                  parameters:
                    type: hash
                    salt: bench
                - type: transform
                  column: name
                  parameters:
                    type: mask
                    mask_char: "*"
                - type: filter
                  column: amount
                  parameters:
                    operator: gte
                    value: 0
                - type: filter
                  expression: "row.id > 0 && op != 'TRUNCATE'"
                - type: exclude_column
                  column: active
            """.formatted(BenchTable.NAME);

    @Override
    String baseId() {
        return "file-rules";
    }

    @Override
    String baseName() {
        return "pg_flo file +5 rules";
    }

    @Override
    public String measures() {
        return "pg_flo's file sink with --rules-config: hash and mask name, filter amount >= 0, a CEL filter, "
                + "exclude active";
    }

    @Override
    List<String> sinkArguments(BenchContext context, RunSpec run) throws Exception {
        Path rules = run.workDirectory().resolve("rules.yml");
        Files.createDirectories(rules.getParent());
        Files.writeString(rules, RULES);
        List<String> arguments = new ArrayList<>(super.sinkArguments(context, run));
        arguments.addAll(List.of("--rules-config", rules.toString()));
        return arguments;
    }
}

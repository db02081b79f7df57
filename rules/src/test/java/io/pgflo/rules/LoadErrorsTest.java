package io.pgflo.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.pgflo.sink.api.ConfigurationException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every mistake in a rules file is one line naming file:line:column and what to fix. */
class LoadErrorsTest {
    @TempDir
    Path dir;

    private String error(String yaml) {
        Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(() -> Changes.shaper(dir, yaml));
        assertThat(thrown).isInstanceOf(RulesException.class).isInstanceOf(ConfigurationException.class);
        String message = thrown.getMessage();
        assertThat(message).as("one line").doesNotContain("\n");
        String prefix = dir.resolve("rules.yml").toString();
        assertThat(message).startsWith(prefix + ":");
        return message.substring(prefix.length() + 1);
    }

    private static String users(String rule) {
        return "tables:\n  users:\n" + rule;
    }

    @Test
    void yamlSyntax() {
        assertThat(error("tables:\n  users: [\n")).startsWith("2:11: not valid YAML: while parsing a flow node");
        assertThat(error("tables:\n  users:\n    - type: filter\n   bad\n")).matches("\\d+:\\d+: not valid YAML: .*");
    }

    @Test
    void unknownKeysAnywhere() {
        assertThat(error("table:\n  users: []\n")).isEqualTo("1:1: unknown key 'table' at the top of the rules; "
                + "expected tables");
        assertThat(error(users("    - type: filter\n      colum: age\n")))
                .isEqualTo("4:7: unknown key 'colum' in a rule; expected one of type, column, parameters, operations, "
                        + "allow_empty_deletes, expression");
        assertThat(error(users("    - type: transform\n      column: email\n      parameters:\n        type: mask\n"
                + "        mask_chr: '*'\n"))).isEqualTo("7:9: unknown key 'mask_chr' in a mask transform's "
                + "parameters; expected one of operations, allow_empty_deletes, type, mask_char");
        assertThat(error(users("    - type: filter\n      column: age\n      parameters: {operator: eq, valu: 3}\n")))
                .startsWith("5:34: unknown key 'valu' in a filter's parameters");
    }

    @Test
    void unknownRuleTypesTransformsOperatorsAndOperations() {
        assertThat(error(users("    - type: rename\n      column: age\n"))).isEqualTo("3:13: unknown rule type "
                + "'rename'; use transform, filter or exclude_column");
        assertThat(error(users("    - type: transform\n      column: email\n      parameters: {type: rot13}\n")))
                .isEqualTo("5:26: unknown transform 'rot13'; use one of regex, mask, hash, truncate, set_null, "
                        + "constant");
        assertThat(error(users("    - type: filter\n      column: age\n      parameters: {operator: like, value: 3}\n")))
                .startsWith("5:30: unknown operator 'like'; use one of eq, ne,");
        assertThat(error(users("    - type: exclude_column\n      column: notes\n      operations: [INSERT, UPSERT]\n")))
                .isEqualTo("5:28: unknown operation 'UPSERT'; use INSERT, UPDATE or DELETE");
    }

    @Test
    void regexesAndExpressionsThatDoNotCompile() {
        assertThat(error(users("    - type: transform\n      column: email\n      parameters:\n        type: regex\n"
                + "        pattern: '(a'\n        replace: x\n")))
                .startsWith("7:18: regex transform: pattern does not compile: Unclosed group near index 2 of '(a'");
        assertThat(error(users("    - type: filter\n      expression: 'row.age >'\n")))
                .startsWith("4:19: expression does not compile: ");
        assertThat(error(users("    - type: filter\n      expression: 'row.age + 1'\n")))
                .startsWith("4:19: expression does not compile: ").contains("bool");
    }

    @Test
    void tablesAndColumnsTheSourceDoesNotHave() {
        assertThat(error("tables:\n  userz:\n    - type: exclude_column\n      column: notes\n"))
                .isEqualTo("3:5: table public.userz does not exist in the source (write schema.table for a table "
                        + "outside schema public)");
        assertThat(error(users("    - type: exclude_column\n      column: note\n")))
                .isEqualTo("4:15: table public.users has no column 'note'; its columns are id, email, phone, age, "
                        + "ssn, name, notes");
    }

    @Test
    void transformsOfNonTextOrKeyColumnsAndExcludedKeys() {
        assertThat(error(users("    - type: transform\n      column: age\n      parameters: {type: mask}\n")))
                .isEqualTo("4:15: a mask transform needs a text column, but public.users.age is integer; use "
                        + "set_null, exclude_column, or a filter instead");
        assertThat(error("tables:\n  app.types:\n    - type: transform\n      column: code\n"
                + "      parameters: {type: truncate, length: 2}\n"))
                .startsWith("4:15: a truncate transform of app.types.code, part of the table's replication key");
        assertThat(error(users("    - type: exclude_column\n      column: id\n")))
                .startsWith("4:15: public.users.id is part of the table's replication key");
    }

    @Test
    void aHashOrConstantLongerThanItsColumnCanHold() throws Exception {
        Path file = java.nio.file.Files.writeString(dir.resolve("narrow.yml"), "tables:\n  users:\n"
                + "    - type: transform\n      column: phone\n      parameters: {type: hash}\n"
                + "    - type: transform\n      column: ssn\n      parameters: {type: constant, value: 'REDACTED'}\n");
        var catalog = java.util.Map.of(Changes.USERS, java.util.List.of(Changes.key("id", 23, "integer"),
                Changes.col("phone", 1043, "character varying(20)"), Changes.col("ssn", 1042, "character(11)")));
        assertThatThrownBy(() -> Rules.load(file).shaper("public", catalog)).hasMessage(file + ":4:15: a hash "
                + "transform writes 64 characters, but public.users.phone is character varying(20); widen the column "
                + "or choose another transform");
        var wide = java.util.Map.of(Changes.USERS, java.util.List.of(Changes.key("id", 23, "integer"),
                Changes.col("phone", 1043, "character varying(64)"), Changes.col("ssn", 1042, "character(11)")));
        assertThat(Rules.load(file).shaper("public", wide)).as("REDACTED fits character(11)").isNotNull();
    }

    @Test
    void filterValuesOfTheWrongTypeOrOperatorsTheTypeCannotTake() {
        assertThat(error(users("    - type: filter\n      column: age\n      parameters: {operator: gt, value: old}\n")))
                .isEqualTo("5:41: 'old' is not a value of public.users.age (integer)");
        assertThat(error("tables:\n  events:\n    - type: filter\n      column: payload\n"
                + "      parameters: {operator: gt, value: x}\n")).startsWith("5:30: gt orders values, but");
        assertThat(error(users("    - type: filter\n      column: age\n      parameters: {operator: in, value: []}\n")))
                .isEqualTo("5:41: in needs at least one value");
        assertThat(error(users("    - type: filter\n      column: age\n      parameters: {operator: is_null, value: 1}\n")))
                .isEqualTo("5:46: is_null takes no value; remove it");
    }

    @Test
    void operationsWrittenTwiceDifferently() {
        assertThat(error(users("    - type: exclude_column\n      column: notes\n      operations: [INSERT]\n"
                + "      parameters: {operations: [UPDATE]}\n"))).startsWith("6:32: operations are written here and "
                + "at the rule's level with different lists");
    }

    @Test
    void aMissingOrEmptyFileSaysSo() {
        assertThatThrownBy(() -> Rules.load(dir.resolve("none.yml"))).isInstanceOf(RulesException.class)
                .hasMessage(dir.resolve("none.yml") + ": no such file; check --rules-config");
        assertThat(error("")).isEqualTo("1:1: the file is empty; write a 'tables:' mapping of table names to lists of "
                + "rules");
    }

    @Test
    void anInlineSectionNamesItsSourceAndPath() throws Exception {
        ObjectMapper yaml = new YAMLMapper();
        var tree = yaml.readTree("tables:\n  users:\n    - type: filter\n      column: age\n      parameters: "
                + "{operator: gte, value: 18}\n    - type: exclude_column\n      column: agee\n");
        assertThatThrownBy(() -> Rules.fromTree(tree, "pg_flo.yaml").shaper("public", Changes.CATALOG))
                .hasMessage("pg_flo.yaml at tables.users[1].column: table public.users has no column 'agee'; its "
                        + "columns are id, email, phone, age, ssn, name, notes");
        var good = yaml.readTree("tables:\n  users:\n    - type: filter\n      column: age\n      parameters: "
                + "{operator: gte, value: 18}\n");
        assertThat(Rules.fromTree(good, "pg_flo.yaml").shaper("public", Changes.CATALOG)
                .shape(Changes.insert(Changes.USERS, "id", "1", "age", "17"))).isNull();
    }
}

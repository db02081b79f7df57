package io.pgflo.rules;

import static io.pgflo.rules.Changes.CATALOG;
import static io.pgflo.rules.Changes.EVENTS;
import static io.pgflo.rules.Changes.USERS;
import static io.pgflo.rules.Changes.delete;
import static io.pgflo.rules.Changes.insert;
import static io.pgflo.rules.Changes.update;
import static io.pgflo.rules.Changes.values;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import io.pgflo.domain.ChangeShaper;
import io.pgflo.domain.SourceChange;
import io.pgflo.sink.api.Operation;
import java.net.URISyntaxException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** pg_flo's documented rules files, loaded unchanged, behave as its README says (minus its known defects). */
class PgFloExamplesTest {

    private static ChangeShaper load(String name) throws URISyntaxException {
        Path file = Path.of(PgFloExamplesTest.class.getResource("/pgflo/" + name).toURI());
        return Rules.load(file).shaper("public", CATALOG);
    }

    @Test
    void theUsersExampleMasksRewritesPhonesAndKeepsAdultsOnly() throws Exception {
        ChangeShaper rules = load("rules.yml");

        SourceChange adult = rules.shape(insert(USERS, "id", "1", "email", "alice@example.com", "phone", "5551234567",
                "age", "30", "ssn", "123456789"));

        assertThat(values(adult.newRow())).containsExactly(entry("id", "1"), entry("email", "a***************m"),
                entry("phone", "(555) 123-4567"), entry("age", "30"), entry("ssn", "1XXXXXXX9"));
        assertThat(rules.shape(insert(USERS, "id", "2", "email", "kid@example.com", "age", "16")))
                .as("under 18: left out").isNull();
        assertThat(rules.shape(insert(USERS, "id", "3", "age", "18"))).as("gte keeps 18").isNotNull();
    }

    @Test
    void allowEmptyDeletesLetsADeleteThroughEveryRuleUntouched() throws Exception {
        ChangeShaper rules = load("rules.yml");
        SourceChange delete = delete(USERS, "id", "2");

        assertThat(rules.shape(delete)).isSameAs(delete);
    }

    @Test
    void anUpdateThatTakesARowOutOfTheFilterDeletesItByKey() throws Exception {
        ChangeShaper rules = load("rules.yml");

        SourceChange shaped = rules.shape(update(USERS, "id", "5", "email", "bob@example.com", "age", "17"));

        assertThat(shaped.operation()).isEqualTo(Operation.DELETE);
        assertThat(shaped.newRow()).isNull();
        assertThat(values(shaped.oldRow())).containsExactly(entry("id", "5"));
    }

    @Test
    void theMultiTenantExampleKeepsOneTenantAndEveryDeleteItCannotJudge() throws Exception {
        ChangeShaper rules = load("multi_tenant_rules.yml");

        assertThat(rules.shape(insert(EVENTS, "id", "1", "tenant_id", "3", "payload", "{}"))).isNotNull();
        assertThat(rules.shape(insert(EVENTS, "id", "2", "tenant_id", "4", "payload", "{}"))).isNull();
        assertThat(rules.shape(delete(EVENTS, "id", "1", "tenant_id", "4"))).as("judged on the old row").isNull();
        // pg_flo drops a DELETE that carries only the key (its filter cannot read tenant_id), leaving the row on the
        // target; here a change the filter cannot judge is kept.
        assertThat(rules.shape(delete(EVENTS, "id", "1"))).isNotNull();
    }

    @Test
    void operationsWrittenInsideParametersAreHonoured() throws Exception {
        ChangeShaper rules = load("operations_in_parameters.yml");

        assertThat(values(rules.shape(insert(USERS, "id", "1", "email", "abcd")).newRow()))
                .containsEntry("email", "a##d");
        assertThat(values(rules.shape(update(USERS, "id", "1", "email", "abcd")).newRow()))
                .as("UPDATE is not in its operations").containsEntry("email", "abcd");
    }
}

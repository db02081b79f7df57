package io.pgflo.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.pgflo.domain.TableRoutes;
import io.pgflo.domain.TableRoutes.Route;
import io.pgflo.sink.api.ConfigurationException;
import io.pgflo.sink.api.Operation;
import io.pgflo.sink.api.TableName;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RoutesTest {
    private static final Map<TableName, List<String>> SHOP = shop();

    @TempDir
    Path dir;

    @Test
    void pgFlosDocumentedExampleLoadsAndRenamesTablesAndColumns() throws Exception {
        TableRoutes routes = Routes.load(fixture("readme-example.yaml")).resolve(SHOP);

        Route users = routes.route(table("users")).orElseThrow();
        assertThat(users.destination()).isEqualTo(table("customers"));
        assertThat(users.columns()).containsExactlyInAnyOrderEntriesOf(
                Map.of("id", "customer_id", "username", "customer_name"));
        assertThat(users.column("email")).isEqualTo("email");
        assertThat(users.operations()).containsExactlyInAnyOrder(Operation.INSERT, Operation.UPDATE);
        assertThat(users.lets(Operation.DELETE)).isFalse();
        assertThat(users.lets(Operation.READ)).as("a copy's rows are inserts").isTrue();
        assertThat(users.lets(Operation.DDL)).isTrue();

        Route orders = routes.route(table("orders")).orElseThrow();
        assertThat(orders.destination()).isEqualTo(table("transactions"));
        assertThat(orders.columns(List.of("id", "user_id", "total_amount")))
                .containsExactly("transaction_id", "user_id", "amount");
        assertThat(orders.operations()).containsExactlyInAnyOrder(Operation.INSERT, Operation.UPDATE, Operation.DELETE);
        assertThat(routes.route(table("products"))).isEmpty();
        assertThat(routes.destination(table("products"))).isEqualTo(table("products"));
    }

    @Test
    void anEmptyOrMissingOperationsListMeansEveryOperation() throws Exception {
        TableRoutes written = Routes.load(fixture("end-to-end-example.yaml")).resolve(SHOP);
        assertThat(written.route(table("products")).orElseThrow().operations())
                .containsExactlyInAnyOrder(Operation.INSERT, Operation.UPDATE, Operation.DELETE, Operation.TRUNCATE);
        TableRoutes missing = Routes.load(fixture("table-only.yaml")).resolve(SHOP);
        Route products = missing.route(table("products")).orElseThrow();
        assertThat(products.destination()).isEqualTo(table("items"));
        assertThat(products.lets(Operation.DELETE)).isTrue();
        assertThat(products.lets(Operation.TRUNCATE)).isTrue();
        TableRoutes emptyList = load("users:\n  operations: []\n");
        assertThat(emptyList.route(table("users")).orElseThrow().operations()).hasSize(4);
    }

    @Test
    void pgFlosOwnFileLoadsWithIdentityMappingsListed() throws Exception {
        Route users = Routes.load(fixture("end-to-end-example.yaml")).resolve(SHOP).route(table("users")).orElseThrow();
        assertThat(users.columns(List.of("id", "username", "email"))).containsExactly("customer_id", "customer_name", "email");
        assertThat(users.renames()).isTrue();
    }

    @Test
    void operationsAreReadInAnyCaseAndDdlIsAcceptedAsPgFloNamesIt() throws Exception {
        Route users = load("users:\n  operations: [insert, Delete, DDL]\n").route(table("users")).orElseThrow();
        assertThat(users.operations()).containsExactlyInAnyOrder(Operation.INSERT, Operation.DELETE);
        assertThat(users.lets(Operation.DDL)).isTrue();
        assertThat(users.lets(Operation.UPDATE)).isFalse();
    }

    @Test
    void schemaQualifiedNamesRouteAcrossSchemas() throws Exception {
        Map<TableName, List<String>> tables = new LinkedHashMap<>(SHOP);
        tables.put(new TableName("audit", "users"), List.of("id", "at"));
        TableRoutes routes = load("audit.users:\n  destination_table: archive.audit_users\n"
                + "public.users:\n  destination_table: customers\n", tables);
        assertThat(routes.destination(new TableName("audit", "users"))).isEqualTo(new TableName("archive", "audit_users"));
        assertThat(routes.destination(table("users"))).isEqualTo(table("customers"));
    }

    @Test
    void aSectionOfALargerFileIsReadWithTheFilesLines() throws IOException {
        Path file = write("host: db\nrouting:\n  users:\n    destination_table: customers\n    colum_mappings: []\n");
        assertThatThrownBy(() -> Routes.load(file, "/routing"))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage(file + ":5:5: unknown key 'colum_mappings' in the route of users; the keys are "
                        + "column_mappings, destination_table, operations, source_table");
        Path good = write("host: db\nrouting:\n  users:\n    destination_table: customers\n");
        assertThat(Routes.load(good, "/routing").resolve(SHOP).destination(table("users"))).isEqualTo(table("customers"));
        assertThat(Routes.load(write("host: db\n"), "/routing").isEmpty()).isTrue();
    }

    @Test
    void aParsedTreeIsLoadedAndItsErrorsNameThePath() throws Exception {
        JsonNode tree = new ObjectMapper(new YAMLFactory()).readTree(
                "users:\n  destination_table: customers\n  operations: [INSERT, UPSERT]\n");
        assertThatThrownBy(() -> Routes.fromTree(tree, "pg_flo.yaml routing"))
                .hasMessage("pg_flo.yaml routing (users → operations[1]): unknown operation 'UPSERT'; use INSERT, "
                        + "UPDATE, DELETE or TRUNCATE");
        JsonNode good = new ObjectMapper(new YAMLFactory()).readTree("users:\n  destination_table: customers\n");
        assertThat(Routes.fromTree(good, "pg_flo.yaml").resolve(SHOP).destination(table("users")))
                .isEqualTo(table("customers"));
    }

    @Test
    void anEmptyFileHasNoRoutes() throws IOException {
        assertThat(Routes.load(write("")).isEmpty()).isTrue();
        assertThat(Routes.load(write("# nothing yet\n")).resolve(SHOP).isEmpty()).isTrue();
    }

    @Test
    void unknownKeysAreErrorsNamingLineAndColumn() throws IOException {
        Path file = write("users:\n  destination_table: customers\n  column_mappings:\n    - source: id\n"
                + "      destinaton: customer_id\n");
        assertThatThrownBy(() -> Routes.load(file))
                .hasMessage(file + ":5:7: unknown key 'destinaton' in the column mapping; the keys are destination, source");
    }

    @Test
    void yamlSyntaxErrorsNameLineAndColumn() throws IOException {
        Path file = write("users:\n  destination_table: [customers\n");
        assertThatThrownBy(() -> Routes.load(file))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageStartingWith(file + ":2:")
                .hasMessageContaining(": not valid YAML: while parsing a flow sequence");
    }

    @Test
    void aTableWrittenTwiceIsAnError() throws IOException {
        Path file = write("users:\n  destination_table: a\nusers:\n  destination_table: b\n");
        assertThatThrownBy(() -> Routes.load(file))
                .hasMessageStartingWith(file + ":3:")
                .hasMessageContaining("Duplicate field 'users'");
    }

    @Test
    void aColumnMappedTwiceOrTwoColumnsMappedToOneNameAreErrors() throws IOException {
        Path twice = write("users:\n  column_mappings:\n    - {source: id, destination: a}\n"
                + "    - {source: id, destination: b}\n");
        assertThatThrownBy(() -> Routes.load(twice))
                .hasMessage(twice + ":4:8: column id is mapped twice (also at " + twice + ":3:7); keep one mapping");
        Path onto = write("users:\n  column_mappings:\n    - {source: id, destination: a}\n"
                + "    - {source: email, destination: a}\n");
        assertThatThrownBy(() -> Routes.load(onto))
                .hasMessage(onto + ":4:23: two columns are mapped to a (also at " + onto + ":3:7); a destination column "
                        + "can take one source column");
    }

    @Test
    void aMappingOntoAnUnmappedColumnsNameIsAnError() throws IOException {
        assertResolveFails("users:\n  column_mappings:\n    - source: username\n      destination: email\n",
                ":1:1: public.users would have two columns named email (from username and email); "
                        + "map one of them to another name");
    }

    @Test
    void twoTablesToOneDestinationAreAnError() throws IOException {
        assertResolveFails("users:\n  destination_table: people\norders:\n  destination_table: people\n",
                ":3:1: public.users and public.orders would both go to public.people, merging two "
                        + "tables' rows and columns; route each to a table of its own");
        assertResolveFails("users:\n  destination_table: products\n",
                ":1:1: public.users and public.products would both go to public.products, merging "
                        + "two tables' rows and columns; route each to a table of its own");
    }

    @Test
    void tablesAndColumnsMustExistInTheSource() throws IOException {
        assertResolveFails("customers:\n  destination_table: people\n",
                ":1:1: customers is not one of the replicated tables (public.users, public.orders, "
                        + "public.products); check the name, or add it to --tables");
        assertResolveFails("users:\n  column_mappings:\n    - source: name\n      destination: full_name\n",
                ":3:7: public.users has no column name; its columns are id, username, email");
    }

    @Test
    void aSourceTableThatDiffersFromItsKeyIsAnError() throws IOException {
        Path file = write("users:\n  source_table: accounts\n  destination_table: customers\n");
        assertThatThrownBy(() -> Routes.load(file))
                .hasMessage(file + ":2:3: source_table 'accounts' differs from the key 'users' it is written under; "
                        + "the key names the source table, so make them the same");
    }

    @Test
    void anAmbiguousTableNameMustBeQualified() throws IOException {
        Map<TableName, List<String>> tables = new LinkedHashMap<>(SHOP);
        tables.put(new TableName("audit", "users"), List.of("id"));
        Path file = write("users:\n  destination_table: customers\n");
        assertThatThrownBy(() -> Routes.load(file).resolve(tables))
                .hasMessage(file + ":1:1: users names 2 replicated tables (public.users, audit.users); write it as "
                        + "schema.table");
    }

    @Test
    void wrongShapesAreErrors() throws IOException {
        Path list = write("- users\n");
        assertThatThrownBy(() -> Routes.load(list)).hasMessageStartingWith(list + ":1:1: the routing configuration must map");
        Path operations = write("users:\n  operations: INSERT\n");
        assertThatThrownBy(() -> Routes.load(operations))
                .hasMessage(operations + ":2:3: operations must be a list such as [INSERT, UPDATE, DELETE], not a text");
        Path noDestination = write("users:\n  column_mappings:\n    - source: id\n");
        assertThatThrownBy(() -> Routes.load(noDestination))
                .hasMessage(noDestination + ":3:7: the column mapping has no destination; write {source: <source column>, "
                        + "destination: <destination column>}");
        Path badName = write("users:\n  destination_table: a.b.c\n");
        assertThatThrownBy(() -> Routes.load(badName))
                .hasMessageStartingWith(badName + ":2:3: 'a.b.c' is not a table name");
    }

    @Test
    void aMissingFileIsNamed() {
        Path missing = dir.resolve("nope.yaml");
        assertThatThrownBy(() -> Routes.load(missing))
                .hasMessage("routing file " + missing + " does not exist; check --routing-config");
    }

    /** Loading and resolving {@code yaml} against the shop's tables fails with {@code message} after the file's name. */
    private void assertResolveFails(String yaml, String message) throws IOException {
        Path file = write(yaml);
        assertThatThrownBy(() -> Routes.load(file).resolve(SHOP)).isInstanceOf(ConfigurationException.class)
                .hasMessage(file + message);
    }

    private TableRoutes load(String yaml) throws IOException {
        return load(yaml, SHOP);
    }

    private TableRoutes load(String yaml, Map<TableName, List<String>> tables) throws IOException {
        return Routes.load(write(yaml)).resolve(tables);
    }

    private Path write(String yaml) throws IOException {
        Path file = Files.createTempFile(dir, "routing", ".yaml");
        Files.writeString(file, yaml);
        return file;
    }

    private static Path fixture(String name) throws URISyntaxException {
        return Path.of(RoutesTest.class.getResource(name).toURI());
    }

    private static TableName table(String name) {
        return new TableName("public", name);
    }

    private static Map<TableName, List<String>> shop() {
        Map<TableName, List<String>> tables = new LinkedHashMap<>();
        tables.put(table("users"), List.of("id", "username", "email"));
        tables.put(table("orders"), List.of("id", "user_id", "total_amount", "items"));
        tables.put(table("products"), List.of("id", "name", "stock", "tags"));
        return tables;
    }
}

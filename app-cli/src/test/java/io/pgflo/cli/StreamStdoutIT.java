package io.pgflo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.pgflo.sink.api.Lsn;
import io.pgflo.testkit.PostgresExtension;
import io.pgflo.testkit.TestPostgres;
import io.pgflo.testkit.Workload;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** {@code pg_flo stream stdout} as a user runs it: a real process, a real PostgreSQL, real signals. */
@ExtendWith(PostgresExtension.class)
class StreamStdoutIT {

    @Test
    void streamsEveryCommittedChangeOfTwoTablesInCommitOrderWithExactValues(TestPostgres pg, @TempDir Path status) {
        String db = pg.createDatabase("e2e");
        Workload.createUsersTable(pg, db);
        pg.execute(db, "CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy')",
                "CREATE TABLE typed (id int2 PRIMARY KEY, i4 int4, i8 int8, num numeric, f8 float8, t text, vc varchar(20), "
                        + "b bool, d date, ts timestamp, tstz timestamptz, u uuid, j jsonb, by bytea, ia int[], ta text[], m mood)");
        try (StdoutStream stream = StdoutStream.start(pg, db, "e2e", status, "users,typed")) {
            Workload.runUsersScenario(pg, db, 1000, 500, 250);
            pg.execute(db, "INSERT INTO typed VALUES (1, -2147483648, 9223372036854775807, 12345678901234567890.000000000001, "
                    + "'NaN', 'multi\nline \"quoted\" ü', 'short', true, '2026-11-24', '2026-11-24 12:34:56.789', "
                    + "'2026-11-24 12:34:56.789+02', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '{\"a\": [1, null]}', '\\x0102ff', "
                    + "'{1,NULL,3}', '{\"x y\",NULL,\"NULL\"}', 'happy')",
                    "TRUNCATE users, typed");
            stream.awaitCaughtUp();
            assertThat(stream.stop()).as("exit status after SIGTERM; stderr: %s", stream.stderr()).isZero();

            List<JsonNode> events = stream.events();
            Map<String, Long> counts = events.stream().collect(Collectors.groupingBy(
                    e -> e.get("table").asText() + " " + e.get("type").asText(), TreeMap::new, Collectors.counting()));
            assertThat(counts).containsExactlyEntriesOf(new TreeMap<>(Map.of(
                    "typed INSERT", 1L, "typed TRUNCATE", 1L,
                    "users DELETE", 250L, "users INSERT", 1000L, "users TRUNCATE", 1L, "users UPDATE", 500L)));
            assertCommitOrder(events);

            JsonNode typed = events.stream().filter(e -> e.get("table").asText().equals("typed")).findFirst().orElseThrow();
            JsonNode data = typed.get("data");
            assertThat(data.get("id").isIntegralNumber()).isTrue();
            assertThat(data.get("i4").asLong()).isEqualTo(-2147483648L);
            assertThat(data.get("i8").asText()).isEqualTo("9223372036854775807");
            assertThat(data.get("num").decimalValue()).isEqualByComparingTo("12345678901234567890.000000000001");
            assertThat(data.get("f8").asText()).isEqualTo("NaN");
            assertThat(data.get("t").asText()).isEqualTo("multi\nline \"quoted\" ü");
            assertThat(data.get("vc").asText()).isEqualTo("short");
            assertThat(data.get("b").booleanValue()).isTrue();
            assertThat(data.get("d").asText()).isEqualTo("2026-11-24");
            assertThat(data.get("ts").asText()).isEqualTo("2026-11-24T12:34:56.789");
            assertThat(data.get("tstz").asText()).isEqualTo("2026-11-24T10:34:56.789Z");
            assertThat(data.get("u").asText()).isEqualTo("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11");
            assertThat(data.get("j").toString()).isEqualTo("{\"a\":[1,null]}");
            assertThat(data.get("by").asText()).isEqualTo("AQL/");
            assertThat(data.get("ia").toString()).isEqualTo("[1,null,3]");
            assertThat(data.get("ta").toString()).isEqualTo("[\"x y\",null,\"NULL\"]");
            assertThat(data.get("m").asText()).isEqualTo("happy");

            JsonNode firstUpdate = events.stream().filter(e -> e.get("type").asText().equals("UPDATE")).findFirst().orElseThrow();
            assertThat(firstUpdate.get("key").toString()).isEqualTo("[\"id\"]");
            JsonNode firstDelete = events.stream().filter(e -> e.get("type").asText().equals("DELETE")).findFirst().orElseThrow();
            assertThat(firstDelete.get("old_data").get("id").asInt()).isEqualTo(1);
        }
    }

    @Test
    void aGracefulRestartContinuesAfterTheLastEventWithNothingLostOrRepeated(TestPostgres pg, @TempDir Path status) {
        String db = pg.createDatabase("graceful");
        pg.execute(db, "CREATE TABLE t (id int PRIMARY KEY)");
        List<JsonNode> all = new ArrayList<>();
        try (StdoutStream first = StdoutStream.start(pg, db, "graceful", status, "t")) {
            insertRange(pg, db, 1, 200);
            first.awaitCaughtUp();
            insertRange(pg, db, 201, 260);
            assertThat(first.stop()).isZero();
            all.addAll(first.events());
        }
        insertRange(pg, db, 261, 400);
        try (StdoutStream second = StdoutStream.start(pg, db, "graceful", status, "t")) {
            insertRange(pg, db, 401, 500);
            second.awaitCaughtUp();
            assertThat(second.stop()).isZero();
            all.addAll(second.events());
        }
        assertThat(ids(all)).as("every id exactly once, in order").containsExactlyElementsOf(range(1, 500));
    }

    @Test
    void aKilledProcessLosesNothingWhenRestarted(TestPostgres pg, @TempDir Path status) throws Exception {
        String db = pg.createDatabase("killed");
        pg.execute(db, "CREATE TABLE t (id int PRIMARY KEY)");
        List<JsonNode> all = new ArrayList<>();
        Thread writer = new Thread(() -> {
            for (int id = 1; id <= 598; id += 3) {
                insertRange(pg, db, id, id + 2);
                if (id % 30 == 1) {
                    try {
                        Thread.sleep(40);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }
        });
        try (StdoutStream first = StdoutStream.start(pg, db, "killed", status, "t")) {
            writer.start();
            Thread.sleep(ThreadLocalRandom.current().nextLong(300, 900));
            assertThat(first.kill()).isEqualTo(137);
            all.addAll(completeLinesOnly(first));
        }
        writer.join();
        try (StdoutStream second = StdoutStream.start(pg, db, "killed", status, "t")) {
            second.awaitCaughtUp();
            assertThat(second.stop()).isZero();
            List<JsonNode> secondRun = second.events();
            assertThat(ids(secondRun)).as("the second run is in order").isSorted();
            all.addAll(secondRun);
        }
        assertThat(ids(all).stream().distinct().sorted().toList()).as("nothing lost").containsExactlyElementsOf(range(1, 600));
    }

    private static List<JsonNode> completeLinesOnly(StdoutStream stream) {
        String raw = stream.rawStdout();
        int lastNewline = raw.lastIndexOf('\n');
        List<JsonNode> events = stream.events();
        // A kill can cut the last line short; what was cut was not checkpointed and comes again.
        return lastNewline == raw.length() - 1 ? events : events.subList(0, Math.max(0, events.size() - 1));
    }

    static void insertRange(TestPostgres pg, String db, int from, int to) {
        pg.execute(db, "INSERT INTO t SELECT generate_series(" + from + ", " + to + ")");
    }

    private static List<Integer> ids(List<JsonNode> events) {
        return events.stream().map(e -> e.get("data").get("id").asInt()).toList();
    }

    private static List<Integer> range(int from, int to) {
        List<Integer> ids = new ArrayList<>();
        for (int i = from; i <= to; i++) {
            ids.add(i);
        }
        return ids;
    }

    private static void assertCommitOrder(List<JsonNode> events) {
        Comparator<JsonNode> order = Comparator.<JsonNode, Lsn>comparing(e -> Lsn.parse(e.get("commit_lsn").asText()))
                .thenComparingInt(e -> e.get("ordinal").asInt());
        assertThat(events).isSortedAccordingTo(order);
        assertThat(events).extracting(e -> Lsn.parse(e.get("lsn").asText())).isSorted();
    }
}

package io.pgflo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgflo.testkit.PostgresExtension;
import io.pgflo.testkit.TestPostgres;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** A webhook receiver down longer than the retry budget: pg_flo exits 1, and a restart delivers everything. */
@ExtendWith(PostgresExtension.class)
class WebhookOutageIT {

    @Test
    void aReceiverDownPastTheRetryBudgetStopsTheStreamAndARestartDeliversEverything(TestPostgres pg, @TempDir Path dir)
            throws Exception {
        String db = pg.createDatabase("outage");
        pg.execute(db, "CREATE TABLE t (id int PRIMARY KEY)");
        ConcurrentLinkedQueue<RecordedRequest> delivered = new ConcurrentLinkedQueue<>();
        AtomicBoolean up = new AtomicBoolean();
        try (MockWebServer receiver = new MockWebServer()) {
            receiver.setDispatcher(new Dispatcher() {
                @Override
                public MockResponse dispatch(RecordedRequest request) {
                    if (!up.get()) {
                        return new MockResponse().setResponseCode(503);
                    }
                    delivered.add(request);
                    return new MockResponse();
                }
            });
            receiver.start();
            String[] webhook = {"--tables", "t", "--status-dir", dir.resolve("status").toString(),
                "--webhook-url", receiver.url("/events").toString(), "--webhook-max-attempts", "2", "--webhook-backoff-ms", "50"};

            try (PgFloProcess down = PgFloProcess.start(pg, db, "outage", null, "webhook", webhook)) {
                StreamStdoutIT.insertRange(pg, db, 1, 20);
                assertThat(down.awaitExit(Duration.ofSeconds(90))).isEqualTo(1);
                assertThat(down.stderr()).contains("pg_flo: stream failed").contains(receiver.url("/events").toString())
                        .contains("503").contains("LSN");
            }
            up.set(true);
            try (PgFloProcess restarted = PgFloProcess.start(pg, db, "outage", null, "webhook", webhook)) {
                restarted.awaitCaughtUp();
                assertThat(restarted.stop()).as(restarted.stderr()).isZero();
            }
            Set<Integer> ids = new HashSet<>();
            for (RecordedRequest request : delivered) {
                String body = request.getBody().readUtf8();
                ids.add(Integer.parseInt(body.replaceAll(".*\\{\"id\":(\\d+)}.*", "$1")));
            }
            assertThat(ids).as("every event arrived after the restart").hasSize(20).contains(1, 20);
        }
    }
}

package io.pgflo.json;

import static io.pgflo.json.TestEvents.insert;
import static io.pgflo.json.TestEvents.numberedInsert;
import static io.pgflo.json.TestEvents.value;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.pgflo.sink.api.ChangeEvent;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonLinesWriterTest {
    private final EventJsonEncoder encoder = new EventJsonEncoder();

    @Test
    void eachEventIsItsEncoderJsonOnALineOfItsOwn() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        List<ChangeEvent> events = List.of(numberedInsert(0, "a"), TestEvents.insertWithEveryKindOfValue(),
                numberedInsert(2, "c"));

        try (JsonLinesWriter writer = new JsonLinesWriter(out)) {
            for (ChangeEvent event : events) {
                writer.write(event);
            }
        }

        String text = out.toString(UTF_8);
        assertThat(text).endsWith("}\n");
        String[] lines = text.split("\n", -1);
        assertThat(lines).hasSize(4);
        assertThat(lines[3]).isEmpty();
        for (int i = 0; i < events.size(); i++) {
            assertThat(lines[i]).isEqualTo(new String(encoder.encode(events.get(i)), UTF_8));
            assertThat(EventJsonEncoderTest.parse(lines[i].getBytes(UTF_8)).isObject()).isTrue();
        }
    }

    @Test
    void valuesWithLineBreaksStayOnTheirEventsLine() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonLinesWriter writer = new JsonLinesWriter(out)) {
            writer.write(insert(value("note", 25, "one\ntwo\r\nthree"), value("doc", PgTypeOids.JSON, "{\n\"a\":\n1}")));
            writer.write(numberedInsert(1, "next"));
        }

        String[] lines = out.toString(UTF_8).split("\n");
        assertThat(lines).hasSize(2);
        JsonNode first = EventJsonEncoderTest.parse(lines[0].getBytes(UTF_8));
        assertThat(first.get("data").get("note").textValue()).isEqualTo("one\ntwo\r\nthree");
        assertThat(first.get("data").get("doc").get("a").intValue()).isEqualTo(1);
    }

    @Test
    void bytesWrittenIsExactAfterEveryFlushAcrossManyEvents() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonLinesWriter writer = new JsonLinesWriter(out)) {
            assertThat(writer.bytesWritten()).isZero();
            for (int i = 0; i < 20_000; i++) {
                writer.write(numberedInsert(i, "name " + i + " ünïcødé 🐘".repeat(i % 7)));
                assertThat(writer.bytesWritten()).isLessThanOrEqualTo(out.size());
                if (i % 997 == 0) {
                    writer.flush();
                    assertThat(writer.bytesWritten()).isEqualTo(out.size());
                }
            }
            writer.flush();
            assertThat(writer.bytesWritten()).isEqualTo(out.size());
            assertThat(out.size()).isGreaterThan(100_000);
        }
        assertThat(out.toString(UTF_8).lines().count()).isEqualTo(20_000);
    }

    @Test
    void bytesWrittenMatchesTheFileSizeOnDisk(@TempDir Path directory) throws IOException {
        Path file = directory.resolve("events.jsonl");
        long afterFlush;
        try (JsonLinesWriter writer = new JsonLinesWriter(Files.newOutputStream(file))) {
            for (int i = 0; i < 1_000; i++) {
                writer.write(TestEvents.insertWithEveryKindOfValue());
            }
            writer.flush();
            afterFlush = writer.bytesWritten();
            assertThat(Files.size(file)).isEqualTo(afterFlush);
        }
        assertThat(Files.size(file)).isEqualTo(afterFlush);
        assertThat(Files.readAllLines(file, UTF_8)).hasSize(1_000);
    }

    @Test
    void bufferedEventsReachTheStreamOnFlushAndCloseClosesIt() throws IOException {
        RecordingStream out = new RecordingStream();
        JsonLinesWriter writer = new JsonLinesWriter(out);

        writer.write(numberedInsert(0, "a"));
        assertThat(out.size()).isZero();
        writer.flush();
        assertThat(out.size()).isEqualTo(writer.bytesWritten()).isPositive();
        assertThat(out.flushes).isEqualTo(1);

        writer.write(numberedInsert(1, "b"));
        writer.close();
        assertThat(out.closed).isTrue();
        assertThat(out.size()).isEqualTo(writer.bytesWritten());
        assertThat(out.toString(UTF_8).lines().count()).isEqualTo(2);
    }

    @Test
    void bytesWrittenCountsFromThisWriterNotTheStreamsStart() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write("already there\n".getBytes(UTF_8));
        try (JsonLinesWriter writer = new JsonLinesWriter(out)) {
            writer.write(numberedInsert(0, "a"));
            writer.flush();
            assertThat(writer.bytesWritten()).isEqualTo(encoder.encode(numberedInsert(0, "a")).length + 1);
        }
    }

    private static final class RecordingStream extends ByteArrayOutputStream {
        int flushes;
        boolean closed;

        @Override
        public void flush() {
            flushes++;
        }

        @Override
        public void close() {
            closed = true;
        }
    }
}

package io.pgflo.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalDouble;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the webhook receiver itself can take: {@code wrk} (Debian's package) posting one event's JSON over as many
 * keep-alive connections as pg_flo's webhook sink has lanes, for a few seconds. The per-event webhook is stated
 * against this rate, measured in the same run; {@code wrk} barely uses a core of its own.
 */
final class WrkCeiling {
    private static final Pattern REQUESTS_PER_SECOND = Pattern.compile("Requests/sec:\\s+([0-9.]+)");
    /** One INSERT event as pg_flo's webhook sink posts it, about as large as the benchmark table's. */
    private static final String EVENT = "{\"type\":\"INSERT\",\"schema\":\"public\",\"table\":\"pg_flo_bench_events\","
            + "\"lsn\":\"0/16B3748\",\"commit_lsn\":\"0/16B3800\",\"xid\":123,\"commit_time\":\"2026-11-24T12:00:00.123456Z\","
            + "\"ordinal\":0,\"key\":[\"id\"],\"data\":{\"id\":1,\"name\":\"customer-1-c4ca4238a0b923820dcc509a6f75849b\","
            + "\"amount\":1.37,\"created_at\":\"2024-01-01T00:00:01Z\",\"payload\":{\"id\":1,\"qty\":1,\"sku\":\"SKU-1\","
            + "\"tags\":[\"new\",\"web\"],\"nested\":{\"x\":1,\"ok\":false}},\"active\":true}}";

    private WrkCeiling() {}

    static boolean available() {
        try {
            Process process = new ProcessBuilder("wrk", "--version").redirectErrorStream(true).start();
            process.getInputStream().readAllBytes();
            process.waitFor(5, TimeUnit.SECONDS);
            return true;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Requests per second {@code wrk} reached against {@code url}, or empty when it could not run. */
    static OptionalDouble measure(String url, int connections, int seconds, Path directory) throws IOException,
            InterruptedException {
        Path script = directory.resolve("wrk-post.lua");
        Files.writeString(script, "wrk.method = \"POST\"\nwrk.headers[\"Content-Type\"] = \"application/json\"\n"
                + "wrk.body = '" + EVENT + "'\n");
        Process process = new ProcessBuilder(List.of("wrk", "-t1", "-c" + connections, "-d" + seconds + "s", "-s",
                script.toString(), url)).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        process.waitFor(seconds + 30L, TimeUnit.SECONDS);
        Files.writeString(directory.resolve("wrk.log"), output);
        Matcher rate = REQUESTS_PER_SECOND.matcher(output);
        return rate.find() ? OptionalDouble.of(Double.parseDouble(rate.group(1))) : OptionalDouble.empty();
    }

    /** The default of {@code --webhook-lanes} in pg_flo's help for the webhook sink, or 4 when it says none. */
    static int defaultLanes(String webhookHelp) {
        Matcher lanes = Pattern.compile("--webhook-lanes[^\\n]*?default:? (\\d+)").matcher(webhookHelp);
        return lanes.find() ? Integer.parseInt(lanes.group(1)) : 4;
    }
}

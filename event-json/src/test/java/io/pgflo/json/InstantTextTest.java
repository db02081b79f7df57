package io.pgflo.json;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class InstantTextTest {

    @Test
    void writesExactlyWhatInstantToStringWrites() {
        SplittableRandom random = new SplittableRandom(20261124);
        for (int i = 0; i < 200_000; i++) {
            long seconds = random.nextLong(-70_000_000_000L, 260_000_000_000L);
            int nanos = switch (i % 4) {
                case 0 -> 0;
                case 1 -> random.nextInt(1000) * 1_000_000;
                case 2 -> random.nextInt(1_000_000) * 1_000;
                default -> random.nextInt(1_000_000_000);
            };
            assertFormatsLikeInstant(Instant.ofEpochSecond(seconds, nanos));
        }
    }

    @Test
    void writesEdgesOfDaysYearsAndTheFastRangeLikeInstant() {
        for (String text : new String[] {
            "1970-01-01T00:00:00Z", "1969-12-31T23:59:59.999999999Z", "2000-02-29T12:00:00Z", "2100-03-01T00:00:00Z",
            "2026-11-24T12:00:00.123456Z", "2026-11-24T12:00:00.100Z", "2026-11-24T12:00:00.000001Z",
            "0001-01-01T00:00:00Z", "0000-12-31T23:59:59.5Z", "9999-12-31T23:59:59.999999999Z",
            "+10000-01-01T00:00:00Z", "-0001-06-01T00:00:00Z",
        }) {
            assertFormatsLikeInstant(Instant.parse(text));
        }
        assertFormatsLikeInstant(Instant.MIN);
        assertFormatsLikeInstant(Instant.MAX);
    }

    private static void assertFormatsLikeInstant(Instant instant) {
        char[] chars = new char[InstantText.MAX_LENGTH];
        assertThat(new String(chars, 0, InstantText.write(instant, chars))).isEqualTo(instant.toString());
    }
}

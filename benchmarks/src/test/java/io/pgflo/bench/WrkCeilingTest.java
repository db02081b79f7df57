package io.pgflo.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class WrkCeilingTest {
    @Test
    void readsTheLanesDefaultFromTheSinksHelp() {
        String help = "  --webhook-url <url>   where to POST (required)\n"
                + "  --webhook-lanes <number>   requests in flight at once; 1 delivers everything in commit order"
                + " (default 8) [PGFLO_WEBHOOK_LANES]\n";

        assertThat(WrkCeiling.defaultLanes(help)).isEqualTo(8);
        assertThat(WrkCeiling.defaultLanes("no such flag")).isEqualTo(4);
    }
}

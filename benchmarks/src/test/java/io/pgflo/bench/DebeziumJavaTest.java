package io.pgflo.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DebeziumJavaTest {
    @Test
    void readsTheMajorVersionOfReleaseFiles() {
        assertThat(DebeziumJava.major("17.0.15")).isEqualTo(17);
        assertThat(DebeziumJava.major("25.0.3")).isEqualTo(25);
        assertThat(DebeziumJava.major("21")).isEqualTo(21);
        assertThat(DebeziumJava.major("1.8.0_412")).isEqualTo(8);
        assertThat(DebeziumJava.major("garbage")).isZero();
    }
}

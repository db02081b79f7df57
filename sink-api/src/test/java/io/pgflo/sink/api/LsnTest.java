package io.pgflo.sink.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class LsnTest {
    @Test
    void parsesAndPrintsTheServersForm() {
        assertThat(Lsn.parse("0/16B3748").value()).isEqualTo(0x16B3748L);
        assertThat(Lsn.parse("16/B374D848").value()).isEqualTo(0x16B374D848L);
        assertThat(Lsn.parse("16/b374d848")).isEqualTo(Lsn.parse("16/B374D848"));
        assertThat(Lsn.of(0x16B374D848L)).hasToString("16/B374D848");
        assertThat(Lsn.ZERO).hasToString("0/0");
    }

    @Test
    void roundTripsTheWholeUnsignedRange() {
        for (long v : new long[] {0, 1, 0xFFFFFFFFL, 0x1_0000_0000L, Long.MAX_VALUE, -1L}) {
            assertThat(Lsn.parse(Lsn.of(v).toString()).value()).isEqualTo(v);
        }
        assertThat(Lsn.of(-1L)).hasToString("FFFFFFFF/FFFFFFFF");
    }

    @Test
    void ordersAsUnsigned() {
        List<Lsn> lsns = new ArrayList<>(List.of(Lsn.of(-1L), Lsn.parse("1/0"), Lsn.parse("0/FFFFFFFF"), Lsn.ZERO));
        Collections.sort(lsns);
        assertThat(lsns).containsExactly(Lsn.ZERO, Lsn.parse("0/FFFFFFFF"), Lsn.parse("1/0"), Lsn.of(-1L));
        assertThat(Lsn.of(-1L).isAfter(Lsn.parse("7FFFFFFF/0"))).isTrue();
        assertThat(Lsn.max(Lsn.parse("0/5"), Lsn.parse("0/3"))).isEqualTo(Lsn.parse("0/5"));
    }

    @Test
    void rejectsMalformedTextNamingIt() {
        for (String bad : new String[] {"", "/", "0/", "/1", "12345", "g/1", "0/1/2", "123456789/0", "0/-1"}) {
            assertThatThrownBy(() -> Lsn.parse(bad))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("'" + bad + "'");
        }
    }

    @Test
    void printsTheServersFormWithoutLeadingZerosUpToItsLongest() {
        assertThat(Lsn.of(0).toString()).isEqualTo("0/0");
        assertThat(Lsn.of(0x16B3748L).toString()).isEqualTo("0/16B3748");
        assertThat(Lsn.of(-1).toString()).isEqualTo("FFFFFFFF/FFFFFFFF").hasSize(Lsn.MAX_TEXT_LENGTH);
        char[] out = new char[20];
        out[0] = '[';
        int end = Lsn.of(0x1_0000_00ABL).writeTo(out, 1);
        assertThat(new String(out, 0, end)).isEqualTo("[1/AB");
    }
}

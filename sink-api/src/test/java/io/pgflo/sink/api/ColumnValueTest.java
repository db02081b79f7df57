package io.pgflo.sink.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** A value read from the wire keeps its UTF-8 bytes and is, in every other way, the value of its text. */
class ColumnValueTest {
    private static final Column NAME = new Column("name", ColumnType.ofOid(25, "text"), false);

    @Test
    void aValueFromTheWireGivesItsTextAndKeepsItsBytes() {
        String text = "h\u00e9llo \u4e2d\u6587 \uD83D\uDC18";
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        ColumnValue value = ColumnValue.utf8(NAME, bytes);
        assertThat(value.text()).isEqualTo(text);
        assertThat(value.utf8OrNull()).isSameAs(bytes);
        assertThat(value.isNull()).isFalse();
        assertThat(value.unchangedToast()).isFalse();
    }

    @Test
    void aValueCountsItsUtf8BytesWhetherMadeFromTheWireOrFromText() {
        String text = "h\u00e9llo \u4e2d\u6587 \uD83D\uDC18";
        int utf8 = text.getBytes(StandardCharsets.UTF_8).length;
        assertThat(ColumnValue.text(NAME, text).valueBytes()).isEqualTo(utf8).isEqualTo(18);
        assertThat(ColumnValue.utf8(NAME, text.getBytes(StandardCharsets.UTF_8)).valueBytes()).isEqualTo(utf8);
        assertThat(ColumnValue.sqlNull(NAME).valueBytes()).isZero();
        assertThat(ColumnValue.unchangedToastOf(NAME).valueBytes()).isZero();
    }

    @Test
    void anEmptyValueFromTheWireIsTheEmptyStringNotNull() {
        ColumnValue value = ColumnValue.utf8(NAME, new byte[0]);
        assertThat(value.text()).isEmpty();
        assertThat(value.isNull()).isFalse();
    }

    @Test
    void equalsTheSameValueGivenAsText() {
        ColumnValue wire = ColumnValue.utf8(NAME, "caf\u00e9".getBytes(StandardCharsets.UTF_8));
        ColumnValue text = ColumnValue.text(NAME, "caf\u00e9");
        assertThat(wire).isEqualTo(text).hasSameHashCodeAs(text);
        assertThat(text).isEqualTo(wire);
        assertThat(wire).isNotEqualTo(ColumnValue.text(NAME, "cafe")).isNotEqualTo(ColumnValue.sqlNull(NAME));
        assertThat(wire.toString()).contains("caf\u00e9");
    }

    @Test
    void nullAndUnchangedToastCarryNoText() {
        assertThat(ColumnValue.sqlNull(NAME).isNull()).isTrue();
        assertThat(ColumnValue.sqlNull(NAME).text()).isNull();
        assertThat(ColumnValue.sqlNull(NAME).utf8OrNull()).isNull();
        ColumnValue toast = ColumnValue.unchangedToastOf(NAME);
        assertThat(toast.isNull()).isFalse();
        assertThat(toast.text()).isNull();
        assertThat(toast).isNotEqualTo(ColumnValue.sqlNull(NAME));
        assertThatThrownBy(() -> new ColumnValue(NAME, "x", true)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("name");
    }
}

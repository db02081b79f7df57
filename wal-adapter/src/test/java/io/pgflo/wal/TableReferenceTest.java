package io.pgflo.wal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgflo.sink.api.ConfigurationException;
import io.pgflo.sink.api.TableName;
import org.junit.jupiter.api.Test;

class TableReferenceTest {

    @Test
    void aBareNameIsInTheDefaultSchema() {
        assertThat(TableReference.parse("orders", "public")).isEqualTo(new TableName("public", "orders"));
    }

    @Test
    void aQualifiedNameNamesItsOwnSchema() {
        assertThat(TableReference.parse("sales.orders", "public")).isEqualTo(new TableName("sales", "orders"));
        assertThat(TableReference.parse(" sales.orders ", "public")).isEqualTo(new TableName("sales", "orders"));
    }

    @Test
    void quotesKeepDotsAndDoubledQuotes() {
        assertThat(TableReference.parse("\"Sales\".\"Orders.2024\"", "public")).isEqualTo(new TableName("Sales", "Orders.2024"));
        assertThat(TableReference.parse("\"a\"\"b\"", "public")).isEqualTo(new TableName("public", "a\"b"));
    }

    @Test
    void aNameThatDoesNotStartWithAQuoteIsTakenAsWritten() {
        assertThat(TableReference.parse("Order \"Items\" ü", "My Schema"))
                .isEqualTo(new TableName("My Schema", "Order \"Items\" ü"));
    }

    @Test
    void malformedEntriesAreRefusedWithTheEntry() {
        assertThatThrownBy(() -> TableReference.parse("a.b.c", "public")).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("'a.b.c'");
        assertThatThrownBy(() -> TableReference.parse("sales.", "public")).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("empty name");
        assertThatThrownBy(() -> TableReference.parse("\"open", "public")).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("unclosed");
        assertThatThrownBy(() -> TableReference.parse("\"a\"b", "public")).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("text after a quoted name");
    }
}

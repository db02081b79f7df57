package io.pgflo.wal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** COPY's text format as the server writes it (see PostgreSQL's COPY, "Text Format"). */
class CopyTextRowTest {

    @Test
    void splitsColumnsAtTabsAndDropsTheNewline() {
        assertThat(texts(parse("1\tplain text\t-0.5\n", 3))).containsExactly("1", "plain text", "-0.5");
    }

    @Test
    void tellsNullFromTheEmptyStringAndFromTheTextBackslashN() {
        TupleData row = parse("\\N\t\t\\\\N\tN\n", 4);
        assertThat(row.kind(0)).isEqualTo(TupleData.NULL);
        assertThat(row.utf8(0)).isNull();
        assertThat(row.kind(1)).isEqualTo(TupleData.TEXT);
        assertThat(row.text(1)).isEmpty();
        assertThat(row.kind(2)).isEqualTo(TupleData.TEXT);
        assertThat(row.text(2)).as("the two characters backslash and N").isEqualTo("\\N");
        assertThat(row.text(3)).isEqualTo("N");
    }

    @Test
    void readsEveryBackslashSequence() {
        assertThat(parse("a\\bb\\fc\\nd\\re\\tf\\vg\\\\h\n", 1).text(0))
                .isEqualTo("a\bb\fc\nd\re\tf\u000Bg\\h");
    }

    @Test
    void readsOctalAndHexSequencesAsBytes() {
        assertThat(parse("\\101\\1234\\0\\7x\n", 1).utf8(0)).containsExactly('A', 'S', '4', 0, 7, 'x');
        assertThat(parse("\\x41\\x4g\\xg\\xFF\n", 1).utf8(0)).containsExactly('A', 4, 'g', 'x', 'g', 0xFF);
        // Two such bytes make one UTF-8 character, as the server reads them.
        assertThat(parse("\\303\\251\\xc3\\xa9\n", 1).text(0)).isEqualTo("éé");
    }

    @Test
    void takesAnyOtherCharacterAfterABackslashAsItself() {
        assertThat(parse("\\a\\.\\N\\\t1\n", 1).text(0)).as("a backslash before a tab makes the tab part of the value")
                .isEqualTo("a.N\t1");
    }

    @Test
    void keepsMultibyteUtf8AsItIs() {
        String text = "h\u00e9llo \uD83D\uDC18 \u4e2d\u6587";
        TupleData row = parse(text + "\t\u00e9\n", 2);
        assertThat(row.text(0)).isEqualTo(text);
        assertThat(row.utf8(0)).isEqualTo(text.getBytes(StandardCharsets.UTF_8));
        assertThat(row.text(1)).isEqualTo("\u00e9");
    }

    @Test
    void readsByteaAndArraysInTheirTextForms() {
        // bytea's hex form and an array with a backslash inside: COPY doubles each backslash of the value.
        TupleData row = parse("\\\\x00ff10\t{a,NULL,\"y z\",\"back\\\\\\\\slash\",\"{braces}\"}\t\\\\x\n", 3);
        assertThat(row.text(0)).isEqualTo("\\x00ff10");
        assertThat(row.text(1)).isEqualTo("{a,NULL,\"y z\",\"back\\\\slash\",\"{braces}\"}");
        assertThat(row.text(2)).as("an empty bytea").isEqualTo("\\x");
    }

    @Test
    void readsEmptyColumnsAtEitherEnd() {
        assertThat(texts(parse("a\t\n", 2))).containsExactly("a", "");
        assertThat(texts(parse("\t\n", 2))).containsExactly("", "");
        assertThat(texts(parse("\tb\n", 2))).containsExactly("", "b");
        assertThat(parse("a\t\\N\n", 2).kind(1)).isEqualTo(TupleData.NULL);
    }

    @Test
    void aTableWithoutColumnsHasEmptyRows() {
        assertThat(parse("\n", 0).size()).isZero();
    }

    @Test
    void countsTheValuesBytes() {
        assertThat(parse("ab\t\\N\t\u00e9\\t\n", 3).valueBytes()).isEqualTo(2 + 0 + 3);
    }

    @Test
    void refusesRowsOfAnotherShapeWithoutShowingTheirValues() {
        assertThatThrownBy(() -> parse("a\tb\n", 3)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a COPY row (4 bytes) has 2 columns, not 3");
        assertThatThrownBy(() -> parse("a\tb\tc\n", 2)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a COPY row (6 bytes) has more than 2 columns");
        assertThatThrownBy(() -> parse("secret", 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a COPY row (6 bytes) does not end with a newline");
        assertThatThrownBy(() -> parse("x\n", 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageNotContaining("x\n");
    }

    private static TupleData parse(String line, int columns) {
        return CopyTextRow.parse(line.getBytes(StandardCharsets.UTF_8), columns);
    }

    private static List<String> texts(TupleData row) {
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < row.size(); i++) {
            texts.add(row.text(i));
        }
        return texts;
    }
}

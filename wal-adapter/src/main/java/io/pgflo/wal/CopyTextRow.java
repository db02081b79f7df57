package io.pgflo.wal;

import java.util.Arrays;

/**
 * Parses one row of COPY's text format, as {@code COPY ... TO STDOUT} sends it (one CopyData message per row): columns
 * separated by tabs, the row ended by a newline, {@code \N} for NULL, and backslash escapes in the values. The values
 * become a {@link TupleData} of UTF-8 bytes, the shape pgoutput's text tuples have, so that copied rows are made into
 * events the way streamed ones are.
 */
final class CopyTextRow {
    private static final byte TAB = '\t';
    private static final byte NEWLINE = '\n';
    private static final byte BACKSLASH = '\\';

    private CopyTextRow() {}

    /**
     * The row's {@code columns} values.
     *
     * @throws IllegalArgumentException when the row does not end with a newline or has another number of columns
     */
    static TupleData parse(byte[] line, int columns) {
        int end = line.length - 1;
        if (end < 0 || line[end] != NEWLINE) {
            throw new IllegalArgumentException("a COPY row (" + describe(line) + ") does not end with a newline");
        }
        byte[] kinds = new byte[columns];
        byte[][] values = new byte[columns][];
        long valueBytes = 0;
        int column = 0;
        int start = 0;
        if (columns == 0) {
            if (end != 0) {
                throw new IllegalArgumentException("a COPY row of a table without columns holds values (" + describe(line) + ")");
            }
            return new TupleData(kinds, values, 0);
        }
        while (true) {
            int stop = start;
            boolean escaped = false;
            while (stop < end && line[stop] != TAB) {
                // The byte after a backslash belongs to the value, even a tab (COPY writes tabs as "\t", but reads
                // a backslash and a tab as a tab).
                if (line[stop] == BACKSLASH) {
                    escaped = true;
                    stop++;
                }
                stop++;
            }
            stop = Math.min(stop, end);
            if (column == columns) {
                throw new IllegalArgumentException("a COPY row (" + describe(line) + ") has more than " + columns + " columns");
            }
            if (stop - start == 2 && line[start] == BACKSLASH && line[start + 1] == 'N') {
                kinds[column] = TupleData.NULL;
            } else {
                byte[] value = escaped ? unescape(line, start, stop) : Arrays.copyOfRange(line, start, stop);
                kinds[column] = TupleData.TEXT;
                values[column] = value;
                valueBytes += value.length;
            }
            column++;
            if (stop == end) {
                break;
            }
            start = stop + 1;
        }
        if (column != columns) {
            throw new IllegalArgumentException("a COPY row (" + describe(line) + ") has " + column + " columns, not " + columns);
        }
        return new TupleData(kinds, values, valueBytes);
    }

    /** A field's bytes with its backslash sequences replaced by what they stand for (PostgreSQL's CopyReadAttributesText). */
    private static byte[] unescape(byte[] line, int start, int stop) {
        byte[] out = new byte[stop - start];
        int length = 0;
        int i = start;
        while (i < stop) {
            byte b = line[i++];
            if (b != BACKSLASH) {
                out[length++] = b;
                continue;
            }
            if (i == stop) {
                break; // a backslash that ends the line stands for nothing, as the server reads it
            }
            byte c = line[i++];
            switch (c) {
                case 'b' -> out[length++] = '\b';
                case 'f' -> out[length++] = '\f';
                case 'n' -> out[length++] = '\n';
                case 'r' -> out[length++] = '\r';
                case 't' -> out[length++] = '\t';
                case 'v' -> out[length++] = 0x0B;
                case '0', '1', '2', '3', '4', '5', '6', '7' -> {
                    int value = c - '0';
                    for (int digits = 1; digits < 3 && i < stop && line[i] >= '0' && line[i] <= '7'; digits++) {
                        value = (value << 3) + (line[i++] - '0');
                    }
                    out[length++] = (byte) value;
                }
                case 'x' -> {
                    int first = i < stop ? Character.digit(line[i], 16) : -1;
                    if (first < 0) {
                        out[length++] = 'x'; // "\x" without a hex digit is an x, as for any other letter
                    } else {
                        i++;
                        int value = first;
                        int second = i < stop ? Character.digit(line[i], 16) : -1;
                        if (second >= 0) {
                            i++;
                            value = (value << 4) + second;
                        }
                        out[length++] = (byte) value;
                    }
                }
                default -> out[length++] = c; // "\\" and any other character after a backslash stand for that character
            }
        }
        return Arrays.copyOf(out, length);
    }

    /** The row's size, never its values, which may be anything a table holds. */
    private static String describe(byte[] line) {
        return line.length + " bytes";
    }
}

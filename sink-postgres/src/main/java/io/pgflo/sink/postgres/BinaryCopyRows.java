package io.pgflo.sink.postgres;

import io.pgflo.sink.api.ColumnType;
import io.pgflo.sink.api.ColumnValue;
import java.sql.SQLException;
import java.util.List;

/**
 * COPY's binary format: a header, per row its field count and each field's length and bytes ({@link BinaryValues}),
 * and a trailer. The target then runs each type's receive function, which costs it less than parsing text; the values
 * are made from their text forms here.
 */
final class BinaryCopyRows {
    private static final byte[] SIGNATURE = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xFF, '\r', '\n', 0};

    private BinaryCopyRows() {}

    /** Whether every one of these types has a binary form {@link BinaryValues} makes. */
    static boolean supports(List<ColumnType> types) {
        for (ColumnType type : types) {
            if (!BinaryValues.supports(type)) {
                return false;
            }
        }
        return true;
    }

    static void header(CopyBuffer out) throws SQLException {
        out.putBytes(SIGNATURE, 0, SIGNATURE.length);
        out.putInt(0); // flags: no OIDs
        out.putInt(0); // no header extension
    }

    /** One row; {@code values} in the COPY's column order, of types {@link #supports} accepted. */
    static void row(CopyBuffer out, List<ColumnValue> values) throws SQLException {
        out.putShort(values.size());
        for (int i = 0; i < values.size(); i++) {
            try {
                BinaryValues.put(out, values.get(i));
            } catch (IllegalArgumentException | IndexOutOfBoundsException | java.time.DateTimeException e) {
                throw new IllegalArgumentException("column " + values.get(i).name() + " (" + values.get(i).type().name()
                        + "): " + e.getMessage(), e);
            }
        }
    }

    static void trailer(CopyBuffer out) throws SQLException {
        out.putShort(-1);
    }
}

package io.pgflo.sink.api;

/**
 * A position in PostgreSQL's write-ahead log: an unsigned 64-bit number, written as two hex halves
 * {@code X/Y} the way the server prints it.
 */
public record Lsn(long value) implements Comparable<Lsn> {
    /** The position before any WAL; also "no checkpoint yet". */
    public static final Lsn ZERO = new Lsn(0);
    /**
     * The highest position; the {@code commitLsn} of a provisional change ({@link ChangeEvent#provisional()}), whose
     * commit is not known yet.
     */
    public static final Lsn MAX = new Lsn(-1L);

    public static Lsn of(long value) {
        return value == 0 ? ZERO : new Lsn(value);
    }

    /** Parses the server's {@code X/Y} form; rejects anything else with a message that quotes the input. */
    public static Lsn parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("LSN is null");
        }
        int slash = text.indexOf('/');
        if (slash <= 0 || slash == text.length() - 1 || slash > 8 || text.length() - slash - 1 > 8) {
            throw new IllegalArgumentException("not an LSN (expected hex X/Y, e.g. 0/16B3748): '" + text + "'");
        }
        for (int i = 0; i < text.length(); i++) {
            if (i != slash && Character.digit(text.charAt(i), 16) < 0) {
                throw new IllegalArgumentException("not an LSN (expected hex X/Y, e.g. 0/16B3748): '" + text + "'");
            }
        }
        try {
            long high = Long.parseLong(text.substring(0, slash), 16);
            long low = Long.parseLong(text.substring(slash + 1), 16);
            return of((high << 32) | low);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not an LSN (expected hex X/Y, e.g. 0/16B3748): '" + text + "'", e);
        }
    }

    public boolean isAfter(Lsn other) {
        return compareTo(other) > 0;
    }

    public boolean isBefore(Lsn other) {
        return compareTo(other) < 0;
    }

    public static Lsn max(Lsn a, Lsn b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    @Override
    public int compareTo(Lsn other) {
        return Long.compareUnsigned(value, other.value);
    }

    /** The longest text form: two 8-digit halves and the slash. */
    public static final int MAX_TEXT_LENGTH = 17;
    private static final char[] HEX_DIGITS = "0123456789ABCDEF".toCharArray();

    /** The server's {@code X/Y} form (upper-case hex, no leading zeros). */
    @Override
    public String toString() {
        char[] text = new char[MAX_TEXT_LENGTH];
        return new String(text, 0, writeTo(text, 0));
    }

    /**
     * Writes the {@link #toString()} form into {@code out} from {@code at}, for encoders that want no intermediate
     * strings; returns the position after it. {@code out} needs {@link #MAX_TEXT_LENGTH} chars from {@code at}.
     */
    public int writeTo(char[] out, int at) {
        int end = writeHex(out, at, value >>> 32);
        out[end++] = '/';
        return writeHex(out, end, value & 0xFFFFFFFFL);
    }

    private static int writeHex(char[] out, int at, long half) {
        int digits = Math.max(1, (64 - Long.numberOfLeadingZeros(half) + 3) / 4);
        for (int i = digits - 1; i >= 0; i--) {
            out[at + i] = HEX_DIGITS[(int) (half & 0xF)];
            half >>>= 4;
        }
        return at + digits;
    }
}

package io.pgflo.json;

import java.util.Arrays;

/** Decodes bytea's text output: the hex format ({@code \x0102ab}, the default) or the older escape format. */
final class ByteaText {
    private static final byte[] HEX_VALUE = new byte[128];

    static {
        Arrays.fill(HEX_VALUE, (byte) -1);
        for (int i = 0; i < 10; i++) {
            HEX_VALUE['0' + i] = (byte) i;
        }
        for (int i = 0; i < 6; i++) {
            HEX_VALUE['a' + i] = (byte) (10 + i);
            HEX_VALUE['A' + i] = (byte) (10 + i);
        }
    }

    private ByteaText() {}

    /** The bytes, or null when the text is in neither format. */
    static byte[] decode(String text) {
        if (text.length() >= 2 && text.charAt(0) == '\\' && text.charAt(1) == 'x') {
            return decodeHex(text);
        }
        return decodeEscape(text);
    }

    private static byte[] decodeHex(String text) {
        int digits = text.length() - 2;
        if ((digits & 1) != 0) {
            return null;
        }
        byte[] bytes = new byte[digits >> 1];
        for (int i = 0, c = 2; i < bytes.length; i++, c += 2) {
            int high = hexValue(text.charAt(c));
            int low = hexValue(text.charAt(c + 1));
            if ((high | low) < 0) {
                return null;
            }
            bytes[i] = (byte) ((high << 4) | low);
        }
        return bytes;
    }

    private static int hexValue(char c) {
        return c < 128 ? HEX_VALUE[c] : -1;
    }

    /** bytea_output = 'escape': printable ASCII as is, a backslash doubled, every other byte as {@code \nnn} octal. */
    private static byte[] decodeEscape(String text) {
        byte[] bytes = new byte[text.length()];
        int n = 0;
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c != '\\') {
                if (c > 0xFF) {
                    return null;
                }
                bytes[n++] = (byte) c;
                i++;
            } else if (i + 1 < text.length() && text.charAt(i + 1) == '\\') {
                bytes[n++] = '\\';
                i += 2;
            } else if (i + 3 < text.length() && isOctal(text.charAt(i + 1), '3') && isOctal(text.charAt(i + 2), '7')
                    && isOctal(text.charAt(i + 3), '7')) {
                bytes[n++] = (byte) (((text.charAt(i + 1) - '0') << 6) | ((text.charAt(i + 2) - '0') << 3)
                        | (text.charAt(i + 3) - '0'));
                i += 4;
            } else {
                return null;
            }
        }
        return n == bytes.length ? bytes : Arrays.copyOf(bytes, n);
    }

    private static boolean isOctal(char c, char max) {
        return c >= '0' && c <= max;
    }
}

package io.pgflo.rules;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.function.UnaryOperator;

/** The transforms of the rules file but regex ({@link RegexTransform}), each a small {@link Transform}. */
final class Transforms {
    private Transforms() {}

    /** A transform by its rewrite; {@code mayMerge} says whether two distinct values may come out equal. */
    private record Simple(UnaryOperator<String> rewrite, boolean mayMerge, boolean setsNull) implements Transform {
        @Override
        public String apply(String text) {
            return rewrite.apply(text);
        }
    }

    /** Keeps the first and last character and writes {@code maskChar} over the rest; 2 characters or fewer stay. */
    static Transform mask(String maskChar) {
        return new Simple(text -> {
            int length = text.codePointCount(0, text.length());
            if (length <= 2) {
                return text;
            }
            int secondStart = text.offsetByCodePoints(0, 1);
            int lastStart = text.offsetByCodePoints(0, length - 1);
            return text.substring(0, secondStart) + maskChar.repeat(length - 2) + text.substring(lastStart);
        }, true, false);
    }

    /**
     * Lowercase hex of SHA-256 over the salt's and then the value's UTF-8 bytes: equal values hash equal, so joins on
     * the column still work, and a salt kept secret stops a dictionary of likely values from reversing it.
     */
    static Transform hash(String salt) {
        byte[] saltBytes = salt.getBytes(StandardCharsets.UTF_8);
        sha256(); // fails at load, not on the first row, on a JDK without it
        return new Simple(text -> {
            MessageDigest digest = sha256();
            digest.update(saltBytes);
            return HexFormat.of().formatHex(digest.digest(text.getBytes(StandardCharsets.UTF_8)));
        }, false, false);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JDK has no SHA-256", e);
        }
    }

    /** The first {@code length} characters. */
    static Transform truncate(int length) {
        return new Simple(text -> text.length() <= length || text.codePointCount(0, text.length()) <= length ? text
                : text.substring(0, text.offsetByCodePoints(0, length)), true, false);
    }

    static Transform constant(String value) {
        return new Simple(text -> value, true, false);
    }

    static Transform setNull() {
        return new Simple(text -> null, true, true);
    }
}

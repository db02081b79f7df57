package io.pgflo.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TransformsTest {

    @Test
    void maskKeepsTheFirstAndLastCharacterAndLeavesTwoOrFewerAsTheyAre() {
        assertThat(Transforms.mask("*").apply("1234567890123456")).isEqualTo("1**************6");
        assertThat(Transforms.mask("*").apply("12")).isEqualTo("12");
        assertThat(Transforms.mask("*").apply("")).isEqualTo("");
        assertThat(Transforms.mask("X").apply("abc")).isEqualTo("aXc");
        assertThat(Transforms.mask("*").apply("ä😀öü")).as("by character, not byte").isEqualTo("ä**ü");
    }

    @Test
    void hashIsSaltedSha256InHexEqualForEqualInputs() {
        Transform hash = Transforms.hash("pepper");
        assertThat(hash.apply("alice@example.com")).as("SHA-256 of the salt, then the value")
                .isEqualTo(sha256("pepperalice@example.com"));
        assertThat(hash.apply("x")).isEqualTo(hash.apply("x")).hasSize(64).matches("[0-9a-f]{64}");
        assertThat(Transforms.hash("").apply("abc"))
                .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        assertThat(Transforms.hash("salt").apply("abc")).isNotEqualTo(Transforms.hash("").apply("abc"));
        assertThat(hash.mayMerge()).isFalse();
    }

    private static String sha256(String text) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void truncateKeepsTheFirstCharactersConstantAndSetNullReplace() {
        assertThat(Transforms.truncate(3).apply("abcdef")).isEqualTo("abc");
        assertThat(Transforms.truncate(3).apply("ab")).isEqualTo("ab");
        assertThat(Transforms.truncate(2).apply("😀😀😀")).isEqualTo("😀😀");
        assertThat(Transforms.constant("REDACTED").apply("secret")).isEqualTo("REDACTED");
        assertThat(Transforms.setNull().apply("secret")).isNull();
        assertThat(Transforms.setNull().setsNull()).isTrue();
    }

    @Test
    void regexReplacesEveryMatchWithGroupsAsGoWritesThem() {
        assertThat(RegexTransform.compile("^(\\d{3})(\\d{3})(\\d{4})$", "($1) $2-$3").apply("1234567890"))
                .isEqualTo("(123) 456-7890");
        assertThat(RegexTransform.compile("@.*$", "@masked.com").apply("user@example.com"))
                .isEqualTo("user@masked.com");
        assertThat(RegexTransform.compile("@example\\.com$", "@masked.com").apply("user@otherdomain.com"))
                .as("no match: unchanged").isEqualTo("user@otherdomain.com");
        assertThat(RegexTransform.compile("a", "b").apply("banana")).isEqualTo("bbnbnb");
        assertThat(RegexTransform.compile("(\\w+)@(\\w+)", "${2}_$1 $$ \\n").apply("me@host"))
                .isEqualTo("host_me $ \\n");
        assertThat(RegexTransform.compile("(?P<user>\\w+)@", "$user at ").apply("me@host"))
                .as("Go's named groups").isEqualTo("me at host");
        assertThat(RegexTransform.compile("x*", "-").apply("abc")).as("empty matches, as Go").isEqualTo("-a-b-c-");
    }

    @Test
    void aRegexThatDoesNotCompileOrAReferenceToAMissingGroupIsRefused() {
        assertThatThrownBy(() -> RegexTransform.compile("(unclosed", "x"))
                .hasMessageStartingWith("pattern does not compile: Unclosed group");
        assertThatThrownBy(() -> RegexTransform.compile("(a)", "$2"))
                .hasMessage("replace refers to group $2 but the pattern has 1 group");
        assertThatThrownBy(() -> RegexTransform.compile("(a)", "$1x"))
                .hasMessageContaining("group '1x'").hasMessageContaining("write ${1}x");
    }
}

package io.pgflo.sink.webhook;

import static java.util.Objects.requireNonNull;

import io.pgflo.sink.api.ConfigurationException;
import java.util.Locale;
import java.util.Set;

/**
 * An extra header sent with every request, for example an {@code Authorization} token.
 *
 * <p>{@link #toString()} shows the name only: values are often credentials.
 *
 * @param name an HTTP header name (a token: letters, digits and {@code !#$%&'*+-.^_`|~})
 * @param value printable ASCII and tabs; no line breaks
 */
public record WebhookHeader(String name, String value) {

    /** Headers the sink sets itself; letting them be overridden would break the body, the signature or idempotency. */
    static final Set<String> RESERVED = Set.of("content-type", "content-length", "content-encoding", "transfer-encoding",
            "host", "connection", "idempotency-key", "webhook-id", "webhook-timestamp", "webhook-signature");

    public WebhookHeader {
        requireNonNull(name, "name is null");
        requireNonNull(value, "value is null");
        if (name.isEmpty()) {
            throw new ConfigurationException("--webhook-header has an empty name; write it as 'Name: value'");
        }
        for (int i = 0; i < name.length(); i++) {
            if (!isTokenChar(name.charAt(i))) {
                throw new ConfigurationException("--webhook-header name '" + printable(name)
                        + "' is not a valid HTTP header name (letters, digits and !#$%&'*+-.^_`|~ only)");
            }
        }
        if (RESERVED.contains(name.toLowerCase(Locale.ROOT))) {
            throw new ConfigurationException("--webhook-header " + name
                    + " is set by the webhook sink itself and cannot be replaced");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c != '\t' && (c < 0x20 || c > 0x7e)) {
                // The value is not quoted: it may be a credential.
                throw new ConfigurationException("--webhook-header " + name
                        + " has a value with a line break, control or non-ASCII character, which HTTP headers cannot carry");
            }
        }
    }

    /**
     * Parses {@code Name: value} (the value is trimmed; it may be empty). The message of a malformed header never
     * quotes the text, which may hold a credential.
     */
    public static WebhookHeader parse(String line) {
        requireNonNull(line, "line is null");
        int colon = line.indexOf(':');
        if (colon < 0) {
            throw new ConfigurationException("--webhook-header must look like 'Name: value', got text without ':'");
        }
        String name = line.substring(0, colon).trim();
        if (name.isEmpty()) {
            throw new ConfigurationException("--webhook-header must look like 'Name: value', got nothing before ':'");
        }
        return new WebhookHeader(name, line.substring(colon + 1).trim());
    }

    @Override
    public String toString() {
        return name + ": ***";
    }

    private static boolean isTokenChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
    }

    private static String printable(String text) {
        StringBuilder out = new StringBuilder(Math.min(text.length(), 64));
        for (int i = 0; i < text.length() && i < 64; i++) {
            char c = text.charAt(i);
            out.append(c < 0x20 || c == 0x7f ? '?' : c);
        }
        return out.toString();
    }
}

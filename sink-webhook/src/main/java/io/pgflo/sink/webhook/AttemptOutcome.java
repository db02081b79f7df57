package io.pgflo.sink.webhook;

import java.io.IOException;
import java.time.Duration;

/** What one HTTP attempt came to. The retry policy decides on it; failures describe themselves for the error message. */
sealed interface AttemptOutcome {

    /** Whether another attempt could succeed. */
    boolean retryable();

    /** The receiver's {@code Retry-After}, or null. */
    default Duration retryAfter() {
        return null;
    }

    /** The answer or error, for messages: {@code HTTP 500 Internal Server Error ("boom")}, {@code connection refused (...)}. */
    String describe();

    /** A 2xx answer. */
    record Delivered(int status) implements AttemptOutcome {
        @Override
        public boolean retryable() {
            return false;
        }

        @Override
        public String describe() {
            return "HTTP " + status;
        }
    }

    /**
     * A non-2xx answer. 408, 429 and 5xx may pass and are retried; every other answer (3xx, other 4xx) says the request
     * itself is refused, and sending it again would only repeat that.
     *
     * @param location the {@code Location} of a redirect, redacted, or null
     * @param body the start of the answer's body, on one line, or empty
     */
    record Rejected(int status, String message, String body, String location, Duration retryAfter) implements AttemptOutcome {
        static boolean retryableStatus(int status) {
            return status == 408 || status == 429 || (status >= 500 && status <= 599);
        }

        @Override
        public boolean retryable() {
            return retryableStatus(status);
        }

        /**
         * A refusal of this request's content (400, 409, 413, 422): what {@code --webhook-dead-letter} takes instead of
         * stopping. Not the other 4xx (401, 403, 404, 405, 410, 415...), which say the URL, the credentials or the
         * format are wrong for every event: dead-lettering them would empty the stream into the directory.
         */
        boolean deadLetter() {
            return status == 400 || status == 409 || status == 413 || status == 422;
        }

        @Override
        public String describe() {
            StringBuilder text = new StringBuilder("HTTP ").append(status);
            if (!message.isEmpty()) {
                text.append(' ').append(message);
            }
            if (location != null) {
                text.append(", redirecting to ").append(location).append(" (redirects are not followed: update --webhook-url)");
            }
            if (!body.isEmpty()) {
                text.append(" (\"").append(body).append("\")");
            }
            return text.toString();
        }
    }

    /** No HTTP answer: the connection, TLS, or the timeout failed. */
    record NetworkFailure(IOException error, String description, boolean retryable) implements AttemptOutcome {
        @Override
        public String describe() {
            return description;
        }
    }

    /** Another lane failed and this one stopped; not a failure of its own. */
    record Aborted() implements AttemptOutcome {
        @Override
        public boolean retryable() {
            return false;
        }

        @Override
        public String describe() {
            return "stopped because another request failed";
        }
    }
}

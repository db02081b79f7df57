package io.pgflo.sink.webhook;

/** HTTP statuses as the request metric's {@code code} label, made once rather than per request. */
final class StatusCodes {
    private static final String[] LABELS = new String[600];

    static {
        for (int status = 100; status < LABELS.length; status++) {
            LABELS[status] = Integer.toString(status);
        }
    }

    private StatusCodes() {}

    static String label(int status) {
        return status >= 100 && status < LABELS.length ? LABELS[status] : Integer.toString(status);
    }
}

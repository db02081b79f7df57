package io.pgflo.sink.webhook;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.time.Duration;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLPeerUnverifiedException;

/** Network errors in words, and which of them are worth another attempt. */
final class TransportErrors {
    private TransportErrors() {}

    static AttemptOutcome.NetworkFailure classify(IOException error, String host, Duration timeout) {
        return new AttemptOutcome.NetworkFailure(error, describe(error, host, timeout), retryable(error));
    }

    /**
     * Everything is retried except a certificate the JDK does not trust or that does not match the host: those stay
     * wrong until someone fixes the server or the trust store, and retrying only delays the clear error.
     */
    static boolean retryable(IOException error) {
        return !isCertificateProblem(error);
    }

    /** The metric's {@code code} for a request without an answer: {@code timeout}, or {@code io_error} for the rest. */
    static String label(IOException error) {
        return isTimeout(error) ? "timeout" : "io_error";
    }

    private static boolean isTimeout(IOException error) {
        return error instanceof SocketTimeoutException
                || (error instanceof InterruptedIOException && "timeout".equals(error.getMessage()));
    }

    static String describe(IOException error, String host, Duration timeout) {
        String detail = detail(error);
        if (error instanceof UnknownHostException) {
            return "host " + host + " does not resolve (" + detail + ")";
        }
        if (error instanceof ConnectException || error instanceof NoRouteToHostException) {
            return "cannot connect: " + detail;
        }
        if (isTimeout(error)) {
            return "no answer within the request timeout of " + timeout.toMillis() + " ms (--webhook-timeout-ms)";
        }
        if (error instanceof SSLPeerUnverifiedException) {
            return "TLS: the server's certificate does not match host " + host + " (" + detail + ")";
        }
        if (isCertificateProblem(error)) {
            return "TLS: the server's certificate is not trusted by the JDK trust store (" + rootDetail(error)
                    + "); install its CA in the trust store (javax.net.ssl.trustStore) or fix the server's certificate chain";
        }
        if (error instanceof SSLException) {
            return "TLS failure: " + detail;
        }
        return detail;
    }

    private static boolean isCertificateProblem(IOException error) {
        if (error instanceof SSLPeerUnverifiedException) {
            return true;
        }
        if (!(error instanceof SSLHandshakeException)) {
            return false;
        }
        for (Throwable cause = error.getCause(); cause != null && cause != cause.getCause(); cause = cause.getCause()) {
            if (cause instanceof CertificateException || cause instanceof CertPathValidatorException
                    || cause instanceof CertPathBuilderException) {
                return true;
            }
        }
        return false;
    }

    private static String detail(Throwable error) {
        String message = error.getMessage();
        return error.getClass().getSimpleName() + (message == null ? "" : ": " + oneLine(message));
    }

    private static String rootDetail(Throwable error) {
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return detail(root);
    }

    static String oneLine(String text) {
        return text.replaceAll("\\s*\\R\\s*", " ").strip();
    }
}

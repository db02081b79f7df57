package io.pgflo.sink.webhook;

import java.net.URI;
import okhttp3.HttpUrl;

/** A URL as messages and logs may show it: scheme, host, port and path; never user, password, query or fragment. */
final class RedactedUrl {
    private RedactedUrl() {}

    static String of(URI url) {
        HttpUrl parsed = HttpUrl.parse(url.toString());
        return parsed == null ? url.getScheme() + "://" + url.getHost() : of(parsed);
    }

    static String of(HttpUrl url) {
        return url.newBuilder().username("").password("").query(null).fragment(null).build().toString();
    }
}

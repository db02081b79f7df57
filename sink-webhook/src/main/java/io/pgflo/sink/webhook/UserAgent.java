package io.pgflo.sink.webhook;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** {@code pg_flo/<version>}, the version from the build (a filtered resource, so it survives shading). */
final class UserAgent {
    static final String VALUE = "pg_flo/" + version();

    private UserAgent() {}

    private static String version() {
        try (InputStream in = UserAgent.class.getResourceAsStream("version.properties")) {
            if (in != null) {
                Properties properties = new Properties();
                properties.load(in);
                String version = properties.getProperty("version", "").strip();
                if (!version.isEmpty() && !version.startsWith("${")) {
                    return version;
                }
            }
        } catch (IOException e) {
            // Fall through: a User-Agent without a version is still a User-Agent.
        }
        return "dev";
    }
}

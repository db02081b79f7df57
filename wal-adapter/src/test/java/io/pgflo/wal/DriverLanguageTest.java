package io.pgflo.wal;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgflo.domain.ConnectionFailure;
import io.pgflo.domain.DatabaseEndpoint;
import io.pgflo.domain.PasswordLookup;
import java.text.MessageFormat;
import java.util.Locale;
import java.util.Optional;
import java.util.ResourceBundle;
import org.junit.jupiter.api.Test;
import org.postgresql.util.PSQLException;
import org.postgresql.util.PSQLState;

/**
 * pgjdbc words its messages in the JVM's language, so a failure known only by its message is still recognised in
 * another language: here with pgjdbc's own French and Japanese catalogues, as {@code GT.tr} would use them under those
 * locales.
 */
class DriverLanguageTest {
    private static final ResourceBundle FRENCH =
            ResourceBundle.getBundle("org.postgresql.translation.messages", Locale.FRENCH);
    private static final ResourceBundle JAPANESE =
            ResourceBundle.getBundle("org.postgresql.translation.messages", Locale.JAPANESE);

    @Test
    void aServerWithoutTlsIsRecognisedInFrench() {
        String french = french("The server does not support SSL.");
        assertThat(french).as("pgjdbc translates this one").isNotEqualTo("The server does not support SSL.");
        DatabaseEndpoint endpoint = new DatabaseEndpoint("db", 5432, "app", "u", null, "require", null);
        String message = ConnectionFailure.explain(new PSQLException(french, PSQLState.CONNECTION_REJECTED),
                new ConnectionFailure.Attempt(endpoint, ConnectionFailure.Role.SOURCE, Optional.empty(),
                        PasswordLookup.DEFAULT_FILE), DriverLanguageTest::french).getMessage();
        assertThat(message).isEqualTo("cannot connect to db:5432/app as u: the server does not accept TLS, which"
                + " sslmode=require requires; turn ssl on in the server's configuration, or choose another --sslmode");
    }

    @Test
    void aMessageWithArgumentsIsRecognisedInJapanese() {
        String pattern = "The hostname {0} could not be verified by hostnameverifier {1}.";
        String japanese = japanese(pattern, "db.example", "PgjdbcHostnameVerifier");
        assertThat(japanese).as("pgjdbc translates this one").startsWith("ホスト名 db.example");
        DatabaseEndpoint endpoint = new DatabaseEndpoint("db.example", 5432, "app", "u", null, "verify-full", null);
        String message = ConnectionFailure.explain(new PSQLException(japanese, PSQLState.CONNECTION_FAILURE),
                new ConnectionFailure.Attempt(endpoint, ConnectionFailure.Role.SOURCE, Optional.empty(),
                        PasswordLookup.DEFAULT_FILE), DriverLanguageTest::japanese).getMessage();
        assertThat(message).contains("the server's certificate is not for host db.example (sslmode=verify-full)");
    }

    private static String french(String pattern, Object... arguments) {
        return translate(FRENCH, pattern, arguments);
    }

    private static String japanese(String pattern, Object... arguments) {
        return translate(JAPANESE, pattern, arguments);
    }

    /** What {@code GT.tr} does with its catalogue. */
    private static String translate(ResourceBundle catalogue, String pattern, Object... arguments) {
        return MessageFormat.format(catalogue.containsKey(pattern) ? catalogue.getString(pattern) : pattern, arguments);
    }
}

package io.pgflo.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgflo.sink.api.ConfigurationException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** libpq's rules for finding a password, on files in a temporary home directory. */
class PasswordLookupTest {
    @TempDir
    Path home;

    private final List<String> warnings = new ArrayList<>();

    @Test
    void theGivenPasswordComesFirstThenPgpasswordThenTheFile() throws Exception {
        passFile(home.resolve(".pgpass"), "*:*:*:*:from-file");
        assertThat(find(endpoint("db", 5432, "app", "u", "given"), "PGPASSWORD", "from-variable"))
                .contains(new PasswordLookup.Password("given", "given"));
        assertThat(find(endpoint("db", 5432, "app", "u", null), "PGPASSWORD", "from-variable"))
                .contains(new PasswordLookup.Password("from-variable", "PGPASSWORD"));
        assertThat(find(endpoint("db", 5432, "app", "u", null)))
                .contains(new PasswordLookup.Password("from-file", home.resolve(".pgpass") + " line 1"));
    }

    @Test
    void anEmptyPasswordCountsAsNone() throws Exception {
        passFile(home.resolve(".pgpass"), "*:*:*:*:from-file");
        assertThat(find(endpoint("db", 5432, "app", "u", ""), "PGPASSWORD", "")).map(PasswordLookup.Password::value)
                .contains("from-file");
    }

    @Test
    void pgpassfileNamesTheFileInsteadOfHomePgpass() throws Exception {
        passFile(home.resolve(".pgpass"), "*:*:*:*:from-home");
        Path named = passFile(home.resolve("named"), "*:*:*:*:from-named");
        PasswordLookup lookup = lookup("PGPASSFILE", named.toString());
        assertThat(lookup.find(endpoint("db", 5432, "app", "u", null))).map(PasswordLookup.Password::value)
                .contains("from-named");
        assertThat(lookup.passwordFileName()).isEqualTo(named.toString());
        assertThat(lookup().passwordFileName()).isEqualTo("~/.pgpass");
        assertThat(lookup("PGPASSFILE", home.resolve("absent").toString()).find(endpoint("db", 5432, "app", "u", null)))
                .as("a missing file is passed over in silence").isEmpty();
        assertThat(warnings).isEmpty();
    }

    @Test
    void theFirstLineWhoseFourFieldsMatchWinsWithWildcardsAndEscapes() throws Exception {
        passFile(home.resolve(".pgpass"),
                "# db:5432:app:u:a-comment",
                "",
                "db:5432:app:u",
                "db:5433:app:u:other-port",
                "other:5432:app:u:other-host",
                "db:5432:app2:u:other-database",
                "db:5432:app:u2:other-user",
                "d*:5432:app:u:a-star-matches-only-a-whole-field",
                "db:5432:a\\pp:u:a-backslash-makes-any-character-literal\r",
                "db:5432:app:u:unreached");
        assertThat(find(endpoint("db", 5432, "app", "u", null))).map(PasswordLookup.Password::value)
                .contains("a-backslash-makes-any-character-literal");

        passFile(home.resolve(".pgpass"),
                "\\:\\:1:*:*:*:ipv6",
                "*:*:*:we\\:ird\\\\user:p\\:a\\\\ss\\word:ignored-field",
                "*:*:*:*:any");
        assertThat(find(endpoint("::1", 5432, "app", "u", null))).map(PasswordLookup.Password::value).contains("ipv6");
        assertThat(find(endpoint("db", 5432, "app", "we:ird\\user", null))).map(PasswordLookup.Password::value)
                .contains("p:a\\ssword");
        assertThat(find(endpoint("db", 5432, "app", "weird", null))).map(PasswordLookup.Password::value).contains("any");
    }

    @Test
    void aFirstMatchWithAnEmptyPasswordEndsTheSearchWithNone() throws Exception {
        passFile(home.resolve(".pgpass"), "db:5432:app:u:", "*:*:*:*:later");
        assertThat(find(endpoint("db", 5432, "app", "u", null))).isEmpty();
    }

    @Test
    void anEmptyHostIsLookedUpAsLocalhost() throws Exception {
        passFile(home.resolve(".pgpass"), "localhost:5432:app:u:local");
        assertThat(find(endpoint("", 5432, "app", "u", null))).map(PasswordLookup.Password::value).contains("local");
    }

    @Test
    void aFileOthersMayAccessIsIgnoredWithOneWarningOrRefusedWhenItHoldsTheLine() throws Exception {
        Path file = passFile(home.resolve(".pgpass"), "db:5432:app:u:secret-in-open-file");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r-----"));
        PasswordLookup lookup = lookup();
        assertThat(lookup.find(endpoint("db", 5432, "other", "u", null))).isEmpty();
        assertThat(lookup.find(endpoint("db", 5432, "other", "u", null))).isEmpty();
        assertThat(warnings).containsExactly("password file \"" + file + "\" has group or world access; permissions should"
                + " be u=rw (0600) or less");
        assertThatThrownBy(() -> lookup.find(endpoint("db", 5432, "app", "u", null)))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("password file " + file + " has a line for db:5432/app as u, but group or others may access"
                        + " the file; run chmod 0600 " + file + " (libpq ignores such a file, pgjdbc would not)")
                .hasMessageNotContaining("secret-in-open-file");

        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwx------"));
        assertThat(lookup.find(endpoint("db", 5432, "app", "u", null))).as("the owner's bits are the owner's business")
                .isPresent();
    }

    @Test
    void aDirectoryIsNotAPasswordFile() throws Exception {
        Files.createDirectory(home.resolve(".pgpass"));
        assertThat(find(endpoint("db", 5432, "app", "u", null))).isEmpty();
        assertThat(warnings).containsExactly("password file \"" + home.resolve(".pgpass") + "\" is not a plain file");
    }

    @Test
    void aPasswordNeverShowsInItsText() {
        assertThat(new PasswordLookup.Password("hunter2", "PGPASSWORD")).hasToString("Password[from PGPASSWORD]");
    }

    private Optional<PasswordLookup.Password> find(DatabaseEndpoint endpoint, String... variables) {
        return lookup(variables).find(endpoint);
    }

    private PasswordLookup lookup(String... variables) {
        Map<String, String> environment = new HashMap<>();
        environment.put("HOME", home.toString());
        for (int i = 0; i < variables.length; i += 2) {
            environment.put(variables[i], variables[i + 1]);
        }
        return new PasswordLookup(environment, warnings::add);
    }

    private static DatabaseEndpoint endpoint(String host, int port, String database, String user, String password) {
        return new DatabaseEndpoint(host, port, database, user, password, null, null);
    }

    private static Path passFile(Path file, String... lines) throws Exception {
        Files.writeString(file, String.join("\n", lines) + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        return file;
    }
}

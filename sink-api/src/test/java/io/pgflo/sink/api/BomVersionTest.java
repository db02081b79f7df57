package io.pgflo.sink.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The BOM stands alone (no parent), so nothing else keeps its versions in step with the build's. */
class BomVersionTest {
    private static final Pattern VERSION = Pattern.compile("<version>([^<]+)</version>");

    @Test
    void theBomNamesThisBuildsVersionForItselfTheSinkApiAndThePluginTestKit() throws Exception {
        String build = firstVersion(Files.readString(Path.of("..", "pom.xml")));
        String bom = Files.readString(Path.of("..", "bom", "pom.xml")).replaceAll("(?s)<!--.*?-->", "");
        Matcher versions = VERSION.matcher(bom);
        int count = 0;
        while (versions.find()) {
            assertThat(versions.group(1)).isEqualTo(build);
            count++;
        }
        assertThat(count).as("the BOM's own version, the sink API's and the plugin test kit's").isEqualTo(3);
    }

    private static String firstVersion(String pom) {
        Matcher matcher = VERSION.matcher(pom);
        assertThat(matcher.find()).isTrue();
        return matcher.group(1);
    }
}

package dev.unmask.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The browser UI served at {@code /} beside the API (the pages themselves are tested in a browser by the standalone module). */
class WebUiTest {
    static final Path WEBROOT = Path.of("src/main/resources/webroot");
    private static final Pattern IMPORT = Pattern.compile("(?:import|export)\\s[^;]*?from\\s+'([^']+)'|import\\('([^']+)'\\)");

    private final TestEnv env = TestEnv.get();

    @Test
    void servesThePagesWithoutAKeyAndLeavesTheApiAlone() {
        Api anonymous = env.api(null);
        Api.Reply index = anonymous.get("/");
        assertEquals(200, index.status());
        assertTrue(index.header("Content-Type").startsWith("text/html"), index.header("Content-Type"));
        assertTrue(index.text().contains("js/main.js"));
        Api.Reply script = anonymous.get("/js/main.js");
        assertEquals(200, script.status());
        assertTrue(script.header("Content-Type").startsWith("text/javascript"), script.header("Content-Type"));
        assertTrue(anonymous.get("/css/app.css").header("Content-Type").startsWith("text/css"));

        assertEquals(401, anonymous.get("/v1/jobs").status(), "the API still needs a key");
        Api.Reply missing = anonymous.get("/nowhere.js");
        assertEquals(404, missing.status());
        assertEquals("application/problem+json", missing.header("Content-Type"));
        for (String escape : List.of("/../pom.xml", "/%2e%2e/%2e%2e/pom.xml", "/js/..%2f..%2fpom.xml")) {
            int status = anonymous.rawGet(escape);
            assertTrue(status == 400 || status == 404, escape + " -> " + status);
        }
        assertEquals(200, anonymous.get("/health/live").status());
    }

    /** Every relative module a script imports exists, and nothing is loaded from another host. */
    @Test
    void everyImportResolvesAndNothingComesFromElsewhere() throws IOException {
        List<String> problems = new ArrayList<>();
        try (Stream<Path> files = Files.walk(WEBROOT)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                String text = Files.readString(file);
                if (text.matches("(?s).*(src|href)=\"(https?:)?//.*") || text.contains("url(http")) {
                    problems.add(file + " loads something from another host");
                }
                if (!file.toString().endsWith(".js")) {
                    continue;
                }
                Matcher m = IMPORT.matcher(text);
                while (m.find()) {
                    String target = m.group(1) != null ? m.group(1) : m.group(2);
                    if (!target.startsWith(".") || !Files.isRegularFile(file.resolveSibling(target).normalize())) {
                        problems.add(file + " imports '" + target + "', which is not a file of the web root");
                    }
                }
            }
        }
        assertEquals(List.of(), problems);
    }
}

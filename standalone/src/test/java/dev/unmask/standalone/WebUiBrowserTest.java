package dev.unmask.standalone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The web UI in a real browser against the real system (embedded PostgreSQL and Kafka, the
 * gateway, one worker): {@code webui-tests/ui.test.mjs} signs in, uploads a dataset, trains a
 * tiny model through the form and watches its loss curve, generates from a checkpoint with two
 * strategies side by side, sees a failed job's error, downloads a model file, and checks a
 * phone-width screen. Screenshots of every page land in {@code target/ui-screenshots}.
 */
class WebUiBrowserTest {
    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    static final Path TESTS = ROOT.resolve("webui-tests");
    static final Path SCREENSHOTS = Path.of("target/ui-screenshots").toAbsolutePath();
    static final String SECRET = "some-secret-123";
    static final Duration LIMIT = Duration.ofMinutes(8);

    @Test
    void theUiDrivesTheWholeService(@TempDir Path data) throws Exception {
        Optional<String> missing = BrowserTools.missing(TESTS);
        Assumptions.assumeTrue(missing.isEmpty(), () -> "browser test skipped: " + missing.orElseThrow());

        Path artifacts = data.resolve("artifacts");
        Map<String, String> env = Map.of(
                "UNMASK_API_KEYS", "ui:" + SECRET,
                "UNMASK_ARTIFACTS_DIR", artifacts.toString(),
                "UNMASK_MODEL_ROOTS", artifacts.toString()); // so a checkpoint folder can be registered as a model
        try (Standalone system = Standalone.start(new StandaloneOptions(0, data, 1), env)) {
            String base = "http://localhost:" + system.port();
            brokenDataset(base, artifacts);
            int exit = runNode(base);
            assertEquals(0, exit, "ui.test.mjs failed (its output is above; screenshots in " + SCREENSHOTS + ")");
        }
        assertTrue(Files.isRegularFile(SCREENSHOTS.resolve("06-playground-compare.png")));
    }

    /** A dataset named "broken" whose file is gone: a training on it fails with dataset_missing. */
    private static void brokenDataset(String base, Path artifacts) throws IOException, InterruptedException {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base + "/v1/datasets?name=broken"))
                .header("Authorization", "Bearer " + SECRET).header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString("a single document\n")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(201, response.statusCode(), response.body());
        Matcher id = Pattern.compile("\"id\"\\s*:\\s*\"([0-9a-f-]{36})\"").matcher(response.body());
        assertTrue(id.find(), response.body());
        Files.delete(artifacts.resolve("datasets").resolve(id.group(1) + ".txt"));
    }

    private static int runNode(String base) throws IOException, InterruptedException {
        Process node = new ProcessBuilder("node", TESTS.resolve("ui.test.mjs").toString(), base, SECRET, SCREENSHOTS.toString())
                .directory(ROOT.toFile()).redirectErrorStream(true).start();
        Thread echo = new Thread(() -> {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8))) {
                out.lines().forEach(line -> System.out.println("[ui] " + line));
            } catch (IOException e) {
                System.out.println("[ui] output lost: " + e.getMessage());
            }
        }, "ui-test-output");
        echo.start();
        if (!node.waitFor(LIMIT.toSeconds(), TimeUnit.SECONDS)) {
            node.descendants().forEach(ProcessHandle::destroyForcibly);
            node.destroyForcibly();
            echo.join(5_000);
            throw new AssertionError("ui.test.mjs ran over " + LIMIT);
        }
        echo.join(5_000);
        return node.exitValue();
    }
}

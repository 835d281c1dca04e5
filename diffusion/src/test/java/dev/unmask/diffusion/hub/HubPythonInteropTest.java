package dev.unmask.diffusion.hub;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.unmask.diffusion.util.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real {@code huggingface_hub} against {@link MockHub} and against Unmask's cache, both ways.
 * Runs where {@code HF_HUB_PYTHON} names a Python that has {@code huggingface_hub} (a check for a
 * developer's machine: the build itself never needs Python).
 */
@EnabledIfEnvironmentVariable(named = "HF_HUB_PYTHON", matches = ".+")
class HubPythonInteropTest {
    static final String REPO = "unmask-test/tiny-roberta";
    static final String SCRIPT = """
            import json, os, sys
            from huggingface_hub import snapshot_download, hf_hub_download, scan_cache_dir
            mode, repo, cache = sys.argv[1], sys.argv[2], sys.argv[3]
            if mode == "download":
                path = snapshot_download(repo, cache_dir=cache, allow_patterns=["config.json", "tokenizer*", "model.safetensors"])
                print(json.dumps({"path": path}))
            else:
                path = snapshot_download(repo, cache_dir=cache, local_files_only=True)
                weights = hf_hub_download(repo, "model.safetensors", cache_dir=cache, local_files_only=True)
                info = scan_cache_dir(cache)
                print(json.dumps({"path": path, "weights": weights, "warnings": [str(w) for w in info.warnings],
                                  "revisions": [len(r.revisions) for r in info.repos],
                                  "files": sorted(f.file_name for r in info.repos for v in r.revisions for f in v.files)}))
            """;

    @TempDir Path tmp;

    @Test
    void pythonFillsACacheUnmaskUsesAndUnmaskFillsOnePythonUses() throws Exception {
        try (MockHub hub = new MockHub()) {
            Map<String, byte[]> files = HubFixtures.repoFiles("tiny-roberta");
            String commit = hub.publish(REPO, "main", files);
            Path script = Files.writeString(tmp.resolve("hub.py"), SCRIPT);

            Path pythonCache = tmp.resolve("python-cache");
            JsonNode py = python(hub, script, "download", pythonCache, false);
            assertEquals(pythonCache.resolve("models--unmask-test--tiny-roberta/snapshots").resolve(commit).toString(),
                    py.get("path").asText());
            hub.forget();
            Map<String, String> env = Map.of("HF_HOME", tmp.resolve("home").toString(), "HF_HUB_CACHE", pythonCache.toString(),
                    "HF_ENDPOINT", hub.endpoint().toString(), "HF_HUB_OFFLINE", "1");
            Path used = new HubResolver(HubEnvironment.fromEnv(env)).resolve(HubId.parse(REPO), DownloadListener.NONE);
            assertEquals(Path.of(py.get("path").asText()), used);
            Map<String, String> online = new java.util.HashMap<>(env);
            online.remove("HF_HUB_OFFLINE");
            assertEquals(used, new HubResolver(HubEnvironment.fromEnv(online)).resolve(HubId.parse(REPO), DownloadListener.NONE));
            assertEquals(List.of(), hub.requests(), "complete by Python's trees/COMMIT.json: no request even online");

            Path ours = tmp.resolve("unmask-cache");
            Path snapshot = new HubResolver(HubEnvironment.fromEnv(Map.of("HF_HOME", tmp.resolve("home").toString(),
                    "HF_HUB_CACHE", ours.toString(), "HF_ENDPOINT", hub.endpoint().toString())))
                    .resolve(HubId.parse(REPO), DownloadListener.NONE);
            JsonNode back = python(hub, script, "offline", ours, true);
            assertEquals(snapshot.toString(), back.get("path").asText());
            assertArrayEquals(files.get("model.safetensors"), Files.readAllBytes(Path.of(back.get("weights").asText())));
            assertEquals("[]", back.get("warnings").toString(), "scan_cache_dir finds nothing wrong");
            assertEquals("[1]", back.get("revisions").toString());
            assertEquals(Json.MAPPER.valueToTree(HubFixtures.MODEL_FILES), back.get("files"));
        }
    }

    private static JsonNode python(MockHub hub, Path script, String mode, Path cache, boolean offline) throws IOException,
            InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(System.getenv("HF_HUB_PYTHON"), script.toString(), mode, REPO, cache.toString());
        pb.environment().put("HF_ENDPOINT", hub.endpoint().toString());
        pb.environment().put("HF_HUB_DISABLE_TELEMETRY", "1");
        pb.environment().put("HF_HUB_DISABLE_XET", "1");
        pb.environment().remove("HF_TOKEN");
        if (offline) {
            pb.environment().put("HF_HUB_OFFLINE", "1");
        }
        pb.redirectErrorStream(false);
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new AssertionError("python " + mode + " failed: " + err);
        }
        String[] lines = new String(out, StandardCharsets.UTF_8).strip().split("\n");
        return Json.MAPPER.readTree(lines[lines.length - 1]);
    }
}

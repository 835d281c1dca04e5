package dev.unmask.diffusion.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unmask.diffusion.Fixtures;
import dev.unmask.diffusion.tokenizer.TextTokenizer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A cache filled by Python ({@code huggingface_hub}), prepared here by hand, is used as it is. */
class HubPythonLayoutTest {
    static final String COMMIT = "a1b2c3d4e5f60718293a4b5c6d7e8f9012345678";

    @TempDir Path tmp;
    MockHub hub;
    Path cache;

    @BeforeEach
    void fill() throws IOException {
        hub = new MockHub();
        cache = tmp.resolve("home/hub"); // HF_HOME/hub, the default when HF_HUB_CACHE is unset
        Path repo = cache.resolve("models--py-org--tiny-bert");
        Files.createDirectories(repo.resolve("blobs"));
        Files.createDirectories(repo.resolve("refs"));
        Path snapshot = Files.createDirectories(repo.resolve("snapshots").resolve(COMMIT));
        for (String f : HubFixtures.MODEL_FILES) {
            byte[] bytes = Files.readAllBytes(Fixtures.model("tiny-bert").resolve(f));
            String etag = MockHub.lfs(f) ? BlobChecksum.sha256(bytes) : BlobChecksum.gitBlobSha1(bytes);
            Files.write(repo.resolve("blobs").resolve(etag), bytes);
            Files.createSymbolicLink(snapshot.resolve(f), Path.of("..", "..", "blobs", etag));
        }
        Files.writeString(repo.resolve("refs/main"), COMMIT, StandardCharsets.UTF_8);
        Path noExist = Files.createDirectories(repo.resolve(".no_exist").resolve(COMMIT));
        Files.write(noExist.resolve("special_tokens_map.json"), new byte[0]);
    }

    @AfterEach
    void stop() {
        hub.close();
    }

    HubResolver resolver(String endpoint, String... more) {
        Map<String, String> env = new java.util.HashMap<>(Map.of("HF_HOME", tmp.resolve("home").toString(),
                "HF_ENDPOINT", endpoint));
        for (int i = 0; i < more.length; i += 2) {
            env.put(more[i], more[i + 1]);
        }
        return new HubResolver(HubEnvironment.fromEnv(env), HubApi.defaultClient(), 1);
    }

    @Test
    void aPythonCacheIsUsedWithoutAskingTheHub() throws Exception {
        Path snapshot = resolver(hub.endpoint().toString()).resolve(HubId.parse("py-org/tiny-bert"), DownloadListener.NONE);
        assertEquals(cache.resolve("models--py-org--tiny-bert/snapshots").resolve(COMMIT), snapshot);
        assertEquals(List.of(), hub.requests(), "complete, with special_tokens_map.json known missing");
        assertEquals(snapshot, resolver(hub.endpoint().toString())
                .resolve(HubId.parse("py-org/tiny-bert@" + COMMIT), DownloadListener.NONE));
        assertTrue(HubFixtures.parity(snapshot, "tiny-bert").passed());
        try (TextTokenizer tokenizer = TextTokenizer.load(snapshot)) {
            assertEquals("[MASK]", tokenizer.decode(new long[] {tokenizer.specials().maskId()}, false));
        }
    }

    @Test
    void withoutMarkersItIsUsedOfflineOrWhenTheHubIsUnreachable() throws Exception {
        Path marker = cache.resolve("models--py-org--tiny-bert/.no_exist").resolve(COMMIT).resolve("special_tokens_map.json");
        Files.delete(marker);
        HubId id = HubId.parse("py-org/tiny-bert");
        Path expected = cache.resolve("models--py-org--tiny-bert/snapshots").resolve(COMMIT);
        assertEquals(expected, resolver(hub.endpoint().toString(), "HF_HUB_OFFLINE", "true").resolve(id, DownloadListener.NONE));
        assertEquals(expected, resolver("http://127.0.0.1:" + HubFixtures.closedPort()).resolve(id, DownloadListener.NONE),
                "huggingface_hub falls back to the cached snapshot when the Hub cannot be reached");
        assertEquals(List.of(), hub.requests());
    }
}

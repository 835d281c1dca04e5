package dev.unmask.diffusion.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hub ids, the environment, ETag checksums and URL quoting, each as {@code huggingface_hub} has them. */
class HubNamesTest {
    @TempDir Path tmp;

    @Test
    void hubIdsParseAndNameTheirCacheFolder() {
        HubId id = HubId.parse("FacebookAI/roberta-base");
        assertEquals(new HubId("FacebookAI/roberta-base", "main"), id);
        assertEquals("models--FacebookAI--roberta-base", id.folderName());
        assertEquals(new HubId("org/m.v2_x", "refs/pr/1"), HubId.parse("org/m.v2_x@refs/pr/1"));
        assertTrue(HubId.parse("a/b@0123456789abcdef0123456789abcdef01234567").pinnedToCommit());
        assertFalse(HubId.parse("a/b@v1.0").pinnedToCommit());
        for (String ok : new String[] {"org/name", "org/name@main", "a-b/c.d", "x_y/z@v1"}) {
            assertTrue(HubId.looksLike(ok), ok);
        }
        for (String not : new String[] {"out", "./out/model", "../a/b", "/abs/path", "a/b/c", "a--b/c", "a/b..c",
                "a/-b", "a/b.", "org/name@", "a b/c", "C:\\x\\y"}) {
            assertFalse(HubId.looksLike(not), not);
        }
        assertThrows(IllegalArgumentException.class, () -> HubId.parse("a/b@../../etc"));
        assertThrows(IllegalArgumentException.class, () -> HubId.parse("a/" + "b".repeat(95)));
    }

    @Test
    void theEnvironmentIsReadAsHuggingfaceHubReadsIt() throws Exception {
        String home = System.getProperty("user.home");
        HubEnvironment defaults = HubEnvironment.fromEnv(Map.of());
        assertEquals(Path.of(home, ".cache", "huggingface", "hub"), defaults.cacheDir());
        assertEquals(URI.create("https://huggingface.co"), defaults.endpoint());
        assertFalse(defaults.offline());

        assertEquals(Path.of("/x/huggingface/hub"), HubEnvironment.fromEnv(Map.of("XDG_CACHE_HOME", "/x")).cacheDir());
        assertEquals(Path.of("/h/hub"), HubEnvironment.fromEnv(Map.of("XDG_CACHE_HOME", "/x", "HF_HOME", "/h")).cacheDir());
        assertEquals(Path.of("/c"), HubEnvironment.fromEnv(Map.of("HF_HOME", "/h", "HF_HUB_CACHE", "/c",
                "HUGGINGFACE_HUB_CACHE", "/old")).cacheDir());
        assertEquals(Path.of("/old"), HubEnvironment.fromEnv(Map.of("HUGGINGFACE_HUB_CACHE", "/old")).cacheDir());
        assertEquals(Path.of(home, "hf"), HubEnvironment.fromEnv(Map.of("HF_HUB_CACHE", "~/hf")).cacheDir());
        assertEquals(Path.of(home, "h", "hub"), HubEnvironment.fromEnv(Map.of("HF_HOME", "~/h")).cacheDir());

        assertEquals(URI.create("http://127.0.0.1:9"), HubEnvironment.fromEnv(Map.of("HF_ENDPOINT", "http://127.0.0.1:9/")).endpoint());
        assertThrows(IllegalArgumentException.class, () -> HubEnvironment.fromEnv(Map.of("HF_ENDPOINT", "ftp://x")));

        for (String yes : new String[] {"1", "ON", "yes", "True"}) {
            assertTrue(HubEnvironment.fromEnv(Map.of("HF_HUB_OFFLINE", yes)).offline(), yes);
        }
        for (String no : new String[] {"0", "false", "", "off"}) {
            assertFalse(HubEnvironment.fromEnv(Map.of("HF_HUB_OFFLINE", no)).offline(), no);
        }
        assertTrue(HubEnvironment.fromEnv(Map.of("TRANSFORMERS_OFFLINE", "1")).offline());

        Files.writeString(tmp.resolve("token"), "hf_file\n", StandardCharsets.UTF_8);
        Map<String, String> withHome = Map.of("HF_HOME", tmp.toString());
        assertEquals(Optional.of("hf_file"), HubEnvironment.fromEnv(withHome).token());
        assertEquals(Optional.of("hf_env"), HubEnvironment.fromEnv(Map.of("HF_HOME", tmp.toString(), "HF_TOKEN", "hf_env")).token());
        assertEquals(Optional.empty(), HubEnvironment.fromEnv(Map.of("HF_HOME", tmp.resolve("none").toString())).token());
        assertFalse(HubEnvironment.fromEnv(Map.of("HF_TOKEN", "hf_env")).toString().contains("hf_env"), "never printed");
    }

    @Test
    void etagsAreCheckedWithTheHashTheHubNamesThemBy() {
        byte[] hello = "hello\n".getBytes(StandardCharsets.US_ASCII);
        // `git hash-object` and `sha256sum` of "hello\n".
        assertEquals("ce013625030ba8dba906f756967f9e9ca394464a", BlobChecksum.gitBlobSha1(hello));
        assertEquals("5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03", BlobChecksum.sha256(hello));
        assertEquals("sha256", BlobChecksum.forEtag("5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03", 6).algorithm());
        assertEquals("git-sha1", BlobChecksum.forEtag("ce013625030ba8dba906f756967f9e9ca394464a", 6).algorithm());
        assertFalse(BlobChecksum.forEtag("mirror-etag-17", 6).verifiable());
        assertEquals("abc", FileMetadata.normalizeEtag("W/\"abc\""));
        assertEquals("abc", FileMetadata.normalizeEtag("\"abc\""));
    }

    @Test
    void urlPartsAreQuotedAsPythonQuotes() {
        assertEquals("refs%2Fpr%2F1", UrlPath.quote("refs/pr/1", ""));
        assertEquals("onnx/model%20v2.onnx", UrlPath.quote("onnx/model v2.onnx", "/"));
        assertEquals("caf%C3%A9~_.-", UrlPath.quote("café~_.-", ""));
    }
}

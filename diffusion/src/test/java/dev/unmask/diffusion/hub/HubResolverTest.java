package dev.unmask.diffusion.hub;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unmask.diffusion.tokenizer.TextTokenizer;
import dev.unmask.diffusion.util.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Hub ids resolved against {@link MockHub} into a cache laid out as {@code huggingface_hub} lays it out. */
class HubResolverTest {
    static final String REPO = "unmask-test/tiny-roberta";

    @TempDir Path tmp;
    MockHub hub;
    Map<String, byte[]> files;
    String commit;

    @BeforeEach
    void publish() throws IOException {
        hub = new MockHub();
        files = HubFixtures.repoFiles("tiny-roberta");
        commit = hub.publish(REPO, "main", files);
    }

    @AfterEach
    void stop() {
        hub.close();
    }

    Map<String, String> env(String... more) {
        Map<String, String> env = new HashMap<>();
        env.put("HF_HOME", tmp.resolve("home").toString());
        env.put("HF_HUB_CACHE", tmp.resolve("cache").toString());
        env.put("HF_ENDPOINT", hub.endpoint().toString());
        for (int i = 0; i < more.length; i += 2) {
            env.put(more[i], more[i + 1]);
        }
        return env;
    }

    HubResolver resolver(Map<String, String> env, int attempts) {
        return new HubResolver(HubEnvironment.fromEnv(env), HubApi.defaultClient(), attempts);
    }

    HubResolver resolver() {
        return resolver(env(), HubResolver.DEFAULT_ATTEMPTS);
    }

    Path repoDir() {
        return tmp.resolve("cache").resolve("models--unmask-test--tiny-roberta");
    }

    static Set<String> listing(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return Set.of();
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            Set<String> out = new TreeSet<>();
            walk.filter(p -> !Files.isDirectory(p)).forEach(p -> out.add(dir.relativize(p).toString()));
            return out;
        }
    }

    static String etag(String file, byte[] bytes) {
        return MockHub.lfs(file) ? BlobChecksum.sha256(bytes) : BlobChecksum.gitBlobSha1(bytes);
    }

    @Test
    void resolvesAndLoadsAModelByHubIdEndToEnd() throws Exception {
        List<DownloadProgress> progress = new CopyOnWriteArrayList<>();
        Path snapshot = resolver(env("HF_TOKEN", "hf_secret"), 5).resolve(HubId.parse(REPO), progress::add);

        assertEquals(repoDir().resolve("snapshots").resolve(commit), snapshot);
        assertEquals(commit, Files.readString(repoDir().resolve("refs/main"), StandardCharsets.UTF_8),
                "refs/main holds the bare commit hash, as huggingface_hub writes it");
        assertEquals(new TreeSet<>(HubFixtures.MODEL_FILES), listing(snapshot),
                "only what a load needs: no parity.safetensors, .bin, .h5, .msgpack, .onnx or README");
        for (String f : HubFixtures.MODEL_FILES) {
            Path link = snapshot.resolve(f);
            assertTrue(Files.isSymbolicLink(link), f);
            assertEquals(Path.of("../../blobs", etag(f, files.get(f))), Files.readSymbolicLink(link),
                    f + " links relatively to its blob, named by its ETag (sha256 for LFS, git sha1 otherwise)");
            assertArrayEquals(files.get(f), Files.readAllBytes(link), f);
        }
        assertTrue(listing(repoDir().resolve("blobs")).stream().noneMatch(n -> n.endsWith(".incomplete")));
        assertTrue(Files.exists(repoDir().resolve(".no_exist").resolve(commit).resolve("special_tokens_map.json")),
                "a tokenizer file the repo lacks is remembered as huggingface_hub remembers it");
        assertTrue(Files.isRegularFile(tmp.resolve("cache/.locks/models--unmask-test--tiny-roberta")
                .resolve(BlobChecksum.sha256(files.get("model.safetensors")) + ".lock")));

        // The token goes to the endpoint only, never to the CDN host an LFS file redirects to.
        List<MockHub.Seen> seen = hub.requests();
        assertFalse(MockHub.blobGets(seen).isEmpty());
        for (MockHub.Seen s : seen) {
            boolean cdn = s.path().startsWith("/cdn/");
            assertEquals(cdn ? null : "Bearer hf_secret", s.authorization(), s.toString());
            assertTrue(s.host().startsWith(cdn ? "localhost:" : "127.0.0.1:"), s.toString());
        }
        assertTrue(MockHub.names(seen).contains("GET /api/models/unmask-test/tiny-roberta/revision/main"));
        assertTrue(MockHub.names(seen).contains("HEAD /unmask-test/tiny-roberta/resolve/" + commit + "/config.json"),
                "files are resolved at the commit the model info named");

        long weights = files.get("model.safetensors").length;
        DownloadProgress last = progress.stream().filter(p -> p.file().equals("model.safetensors")).reduce((a, b) -> b).orElseThrow();
        assertEquals(new DownloadProgress(REPO, "model.safetensors", weights, weights, false), last);

        assertTrue(HubFixtures.parity(snapshot, "tiny-roberta").passed(), "the resolved folder loads as the fixture");
        try (TextTokenizer tokenizer = TextTokenizer.load(snapshot)) {
            assertTrue(tokenizer.specials().maskId() >= 0);
        }
    }

    @Test
    void aSecondResolutionIsServedFromTheCacheWithoutARequest() throws Exception {
        Path first = resolver().resolve(HubId.parse(REPO), DownloadListener.NONE);
        hub.forget();
        List<DownloadProgress> progress = new ArrayList<>();
        Path again = resolver().resolve(HubId.parse(REPO), progress::add);
        Path pinned = resolver().resolve(HubId.parse(REPO + "@" + commit), DownloadListener.NONE);
        assertEquals(first, again);
        assertEquals(first, pinned);
        assertEquals(List.of(), hub.requests());
        assertEquals(List.of(), progress);
    }

    @Test
    void offlineModeUsesOnlyTheCacheAndNamesWhatIsMissing() throws Exception {
        HubResolver offline = resolver(env("HF_HUB_OFFLINE", "1"), 5);
        HubException none = assertThrows(HubException.class, () -> offline.resolve(HubId.parse(REPO), DownloadListener.NONE));
        assertEquals(HubException.Kind.NOT_CACHED, none.kind());
        assertTrue(none.getMessage().contains("HF_HUB_OFFLINE") && none.getMessage().contains(REPO + "@main")
                && none.getMessage().contains(repoDir().resolve("refs/main").toString()), none.getMessage());
        assertEquals(List.of(), hub.requests());

        Path online = resolver().resolve(HubId.parse(REPO), DownloadListener.NONE);
        hub.forget();
        assertEquals(online, offline.resolve(HubId.parse(REPO), DownloadListener.NONE));
        assertEquals(List.of(), hub.requests());

        Files.delete(online.resolve("model.safetensors"));
        HubException lacking = assertThrows(HubException.class, () -> offline.resolve(HubId.parse(REPO), DownloadListener.NONE));
        assertEquals(HubException.Kind.NOT_CACHED, lacking.kind());
        assertTrue(lacking.getMessage().contains("lacks model.safetensors"), lacking.getMessage());
        assertEquals(List.of(), hub.requests());
    }

    @Test
    void aDroppedConnectionIsResumedWithRangeWithinOneResolution() throws Exception {
        hub.dropHalfway("model.safetensors", 1);
        Path snapshot = resolver().resolve(HubId.parse(REPO), DownloadListener.NONE);
        byte[] weights = files.get("model.safetensors");
        assertArrayEquals(weights, Files.readAllBytes(snapshot.resolve("model.safetensors")));
        List<MockHub.Seen> gets = MockHub.blobGets(hub.requests());
        assertEquals(2, gets.size(), gets.toString());
        assertNull(gets.get(0).range());
        long from = Long.parseLong(gets.get(1).range().replaceAll("bytes=(\\d+)-", "$1"));
        assertTrue(from > 0 && from <= weights.length / 2, gets.toString());
    }

    @Test
    void anInterruptedDownloadIsResumedByTheNextResolution() throws Exception {
        hub.dropHalfway("model.safetensors", 1);
        HubException broken = assertThrows(HubException.class,
                () -> resolver(env(), 1).resolve(HubId.parse(REPO), DownloadListener.NONE));
        assertEquals(HubException.Kind.UNREACHABLE, broken.kind());
        assertTrue(broken.getMessage().contains("model.safetensors") && broken.getMessage().contains("resumes"),
                broken.getMessage());
        byte[] weights = files.get("model.safetensors");
        Path part = repoDir().resolve("blobs").resolve(BlobChecksum.sha256(weights) + ".incomplete");
        long kept = Files.size(part);
        assertTrue(kept > 0 && kept < weights.length, "kept " + kept);

        hub.forget();
        Path snapshot = resolver(env(), 1).resolve(HubId.parse(REPO), DownloadListener.NONE);
        List<MockHub.Seen> gets = MockHub.blobGets(hub.requests());
        assertEquals(1, gets.size(), gets.toString());
        assertEquals("bytes=" + kept + "-", gets.get(0).range());
        assertArrayEquals(weights, Files.readAllBytes(snapshot.resolve("model.safetensors")));
        assertFalse(Files.exists(part));
    }

    @ParameterizedTest
    @ValueSource(strings = {"model.safetensors", "config.json"})
    void aCorruptBlobIsDeletedAndNamed(String file) throws Exception {
        hub.corrupt(file);
        HubException e = assertThrows(HubException.class, () -> resolver().resolve(HubId.parse(REPO), DownloadListener.NONE));
        String expected = etag(file, files.get(file));
        byte[] wrong = files.get(file).clone();
        wrong[wrong.length / 2] ^= 0x5a;
        String actual = etag(file, wrong);
        assertEquals(HubException.Kind.CORRUPT, e.kind());
        assertTrue(e.getMessage().contains(file) && e.getMessage().contains("expected " + (MockHub.lfs(file) ? "sha256 " : "git-sha1 ")
                + expected) && e.getMessage().contains("got " + actual), e.getMessage());
        assertTrue(listing(repoDir().resolve("blobs")).stream().noneMatch(n -> n.startsWith(expected)),
                "neither the blob nor its .incomplete is left: " + listing(repoDir().resolve("blobs")));
        assertFalse(Files.exists(repoDir().resolve("snapshots").resolve(commit).resolve(file), LinkOption.NOFOLLOW_LINKS));
    }

    @Test
    void aPrivateRepositoryNeedsHfToken() throws Exception {
        hub.makePrivate(REPO, "hf_right");
        HubException anonymous = assertThrows(HubException.class, () -> resolver().resolve(HubId.parse(REPO), DownloadListener.NONE));
        assertEquals(HubException.Kind.UNAUTHORIZED, anonymous.kind());
        assertTrue(anonymous.getMessage().contains("needs HF_TOKEN") && anonymous.getMessage().contains(REPO),
                anonymous.getMessage());
        HubException wrong = assertThrows(HubException.class,
                () -> resolver(env("HF_TOKEN", "hf_wrong"), 5).resolve(HubId.parse(REPO), DownloadListener.NONE));
        assertEquals(HubException.Kind.UNAUTHORIZED, wrong.kind());

        Files.createDirectories(tmp.resolve("home"));
        Files.writeString(tmp.resolve("home/token"), "hf_right\n"); // as `hf auth login` leaves it
        Path snapshot = resolver().resolve(HubId.parse(REPO), DownloadListener.NONE);
        assertArrayEquals(files.get("config.json"), Files.readAllBytes(snapshot.resolve("config.json")));
    }

    @Test
    void aMissingRepositoryOrRevisionIsNamed() {
        HubException repo = assertThrows(HubException.class, () -> resolver(env("HF_TOKEN", "hf_any"), 5)
                .resolve(HubId.parse("unmask-test/nothing"), DownloadListener.NONE));
        assertEquals(HubException.Kind.REPO_NOT_FOUND, repo.kind());
        assertTrue(repo.getMessage().contains("unmask-test/nothing was not found") && repo.getMessage().contains("404"),
                repo.getMessage());

        HubException anonymous = assertThrows(HubException.class,
                () -> resolver().resolve(HubId.parse("unmask-test/nothing"), DownloadListener.NONE));
        assertEquals(HubException.Kind.UNAUTHORIZED, anonymous.kind(), "the Hub answers 401 to anonymous callers");
        assertTrue(anonymous.getMessage().contains("not found or is private"), anonymous.getMessage());

        HubException revision = assertThrows(HubException.class,
                () -> resolver().resolve(HubId.parse(REPO + "@v9"), DownloadListener.NONE));
        assertEquals(HubException.Kind.REVISION_NOT_FOUND, revision.kind());
        assertTrue(revision.getMessage().contains("revision 'v9' of " + REPO), revision.getMessage());
    }

    @Test
    void anUnreachableEndpointIsNamed() throws Exception {
        Map<String, String> env = env("HF_ENDPOINT", "http://127.0.0.1:" + HubFixtures.closedPort());
        HubException e = assertThrows(HubException.class, () -> resolver(env, 5).resolve(HubId.parse(REPO), DownloadListener.NONE));
        assertEquals(HubException.Kind.UNREACHABLE, e.kind());
        assertTrue(e.kind().retryable());
        assertTrue(e.getMessage().contains(env.get("HF_ENDPOINT")) && e.getMessage().contains("unreachable"), e.getMessage());
    }

    @Test
    void aRepositoryWithoutSafetensorsIsRefusedBeforeAnyDownload() {
        Map<String, byte[]> bin = new HashMap<>(files);
        bin.remove("model.safetensors");
        bin.remove("parity.safetensors");
        hub.publish("unmask-test/bin-only", "main", bin);
        HubException e = assertThrows(HubException.class,
                () -> resolver().resolve(HubId.parse("unmask-test/bin-only"), DownloadListener.NONE));
        assertEquals(HubException.Kind.ENTRY_NOT_FOUND, e.kind());
        assertTrue(e.getMessage().contains("pytorch_model.bin") && e.getMessage().contains("safetensors"), e.getMessage());
        assertEquals(List.of(), MockHub.blobGets(hub.requests()));
    }

    @Test
    void revisionsArePinnedByCommitAndByBranch() throws Exception {
        String bert = hub.publish(REPO, "bert", HubFixtures.repoFiles("tiny-bert"));
        HubResolver resolver = resolver();

        Path branch = resolver.resolve(HubId.parse(REPO + "@bert"), DownloadListener.NONE);
        assertEquals(repoDir().resolve("snapshots").resolve(bert), branch);
        assertEquals(bert, Files.readString(repoDir().resolve("refs/bert")));
        assertEquals("bert", Json.read(branch.resolve("config.json")).get("model_type").asText());

        Path byCommit = resolver.resolve(HubId.parse(REPO + "@" + commit), DownloadListener.NONE);
        assertEquals(repoDir().resolve("snapshots").resolve(commit), byCommit);
        assertEquals("roberta", Json.read(byCommit.resolve("config.json")).get("model_type").asText());
        assertFalse(Files.exists(repoDir().resolve("refs").resolve(commit)), "no ref is written for a commit hash");
        assertFalse(Files.exists(repoDir().resolve("refs/main")), "main was never asked for");

        // main moves on: the cache keeps serving the commit main had, the new commit is one @ away.
        assertEquals(byCommit, resolver.resolve(HubId.parse(REPO), DownloadListener.NONE));
        String newer = hub.publish(REPO, "main", HubFixtures.repoFiles("tiny-bert"));
        hub.forget();
        assertEquals(byCommit, resolver.resolve(HubId.parse(REPO), DownloadListener.NONE));
        assertEquals(List.of(), hub.requests());
        assertEquals(repoDir().resolve("snapshots").resolve(newer),
                resolver.resolve(HubId.parse(REPO + "@" + newer), DownloadListener.NONE));
        assertTrue(HubFixtures.parity(branch, "tiny-bert").passed());
    }

    @Test
    void aShardedCheckpointIsFetchedThroughItsIndex() throws Exception {
        Map<String, byte[]> sharded = HubFixtures.shardedRepoFiles("tiny-roberta", Files.createDirectories(tmp.resolve("shards")));
        hub.publish("unmask-test/sharded", "main", sharded);
        Path snapshot = resolver().resolve(HubId.parse("unmask-test/sharded"), DownloadListener.NONE);
        assertEquals(Set.of("config.json", "tokenizer.json", "tokenizer_config.json", "model.safetensors.index.json",
                "model-00001-of-00002.safetensors", "model-00002-of-00002.safetensors"), listing(snapshot),
                "the two shards the index lists, not the stray third");
        assertTrue(HubFixtures.parity(snapshot, "tiny-roberta").passed());
        hub.forget();
        assertEquals(snapshot, resolver().resolve(HubId.parse("unmask-test/sharded"), DownloadListener.NONE));
        assertEquals(List.of(), hub.requests());
    }

    @Test
    void concurrentResolutionsShareOneDownloadPerBlob() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            List<Future<Path>> futures = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                futures.add(pool.submit(() -> resolver().resolve(HubId.parse(REPO), DownloadListener.NONE)));
            }
            Path snapshot = futures.get(0).get();
            for (Future<Path> f : futures) {
                assertEquals(snapshot, f.get());
            }
            assertArrayEquals(files.get("model.safetensors"), Files.readAllBytes(snapshot.resolve("model.safetensors")));
            assertEquals(1, MockHub.blobGets(hub.requests()).size(), "the lock makes the others wait, then use the blob");
            assertTrue(listing(repoDir()).stream().noneMatch(n -> n.endsWith(".incomplete") || n.endsWith(".tmp")),
                    listing(repoDir()).toString());
        } finally {
            pool.shutdownNow();
        }
    }
}

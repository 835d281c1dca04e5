package dev.unmask.gateway.edge;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.unmask.gateway.Api;
import dev.unmask.gateway.Gateway;
import dev.unmask.gateway.TestEnv;
import dev.unmask.shared.json.JsonCodec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A seeded fuzz of the whole HTTP surface, as a careless or hostile client would send it: every
 * route and method with odd ids, queries, bodies, headers and framing, forged cursors, traversal
 * and link tricks, and slow senders. It fails on any 5xx, any error that is not a complete
 * problem+json, any answer slower than 10 s or missing, any error over 64 KiB to a request under
 * 1 KiB, and any byte of the victim key's data in an answer to the attacker key. The seed is
 * {@code -Dunmask.fuzz.seed} (default fixed) and is printed with every failure.
 */
@Timeout(300)
class HttpEdgeFuzzTest {
    private static final long SEED = Long.getLong("unmask.fuzz.seed", 20261201L);
    private static final int REQUESTS = Integer.getInteger("unmask.fuzz.requests", 2400);
    private static final Duration LIMIT = Duration.ofSeconds(10);
    private static final int SMALL_REQUEST = 1024;
    private static final int MAX_ERROR_BYTES = 64 * 1024;

    private static final TestEnv ENV = TestEnv.get();
    private static Gateway gateway;
    private static TestEnv.Key victim;
    private static TestEnv.Key attacker;
    private static FuzzTargets targets;

    @BeforeAll
    static void start() throws IOException {
        gateway = EdgeGateway.start(ENV);
        victim = ENV.newKey();
        attacker = ENV.newKey();
        targets = FuzzTargets.create(ENV, new Api(gateway.port(), victim.secret()),
                new Api(gateway.port(), attacker.secret()));
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    @Test
    void noRequestGetsA500AHangABareErrorOrAnotherKeysData() throws Exception {
        FuzzRequests requests = new FuzzRequests(new java.util.Random(SEED), targets, attacker.secret());
        List<String> failures = new ArrayList<>();
        Map<String, Integer> byKind = new TreeMap<>();
        Map<Integer, Integer> byStatus = new TreeMap<>();
        for (int i = 0; i < REQUESTS; i++) {
            FuzzRequests.Case c = requests.next();
            RawHttp.Response r = RawHttp.exchange(gateway.port(), c.send(), LIMIT.plusSeconds(1));
            byKind.merge(c.kind(), 1, Integer::sum);
            byStatus.merge(r.status(), 1, Integer::sum);
            String failure = judge(c, r);
            if (failure != null && failures.size() < 25) {
                failures.add("#" + i + " " + c.kind() + ": " + failure + "\n    request: " + c + "\n    response: " + r);
            }
        }
        for (FuzzRequests.Case c : requests.slowClients()) {
            RawHttp.Response r = RawHttp.exchange(gateway.port(), c.send(), LIMIT.plusSeconds(1));
            byKind.merge(c.kind(), 1, Integer::sum);
            byStatus.merge(r.status(), 1, Integer::sum);
            String failure = judge(c, r);
            if (failure == null && r.status() != 408) {
                failure = "a slow client was not answered 408";
            }
            if (failure != null) {
                failures.add(c.kind() + ": " + failure + "\n    request: " + c + "\n    response: " + r);
            }
        }
        String summary = "seed " + SEED + ", kinds " + byKind + ", statuses " + byStatus;
        System.out.println("HTTP edge fuzz: " + summary);
        assertTrue(failures.isEmpty(), failures.size() + " failures (" + summary + "):\n" + String.join("\n", failures));
        for (String route : FuzzRequests.ROUTES) {
            assertTrue(requests.routesHit().getOrDefault(route, 0) >= 20, "route " + route + " fuzzed "
                    + requests.routesHit().getOrDefault(route, 0) + " times: " + requests.routesHit());
        }
        assertTrue(Files.exists(targets.victimDatasetFile()), "the victim's data is still there");
    }

    /** Why a response is wrong, or null. */
    private static String judge(FuzzRequests.Case c, RawHttp.Response r) {
        if (r.timedOut() || r.millis() > LIMIT.toMillis()) {
            return "no answer within " + LIMIT.toSeconds() + " s (" + r.millis() + " ms)";
        }
        if (r.status() <= 0) {
            return "the connection closed without an answer";
        }
        boolean unknownVersion = !c.shown().matches("(?s)[^\r\n]* HTTP/1\\.[01]\r\n.*");
        if (r.status() >= 500 && !(r.status() == 505 && unknownVersion)) {
            return "a server error";
        }
        String text = r.text();
        for (String secret : targets.victimSecrets()) {
            if (text.contains(secret) && !c.shown().contains(secret)) {
                return "the victim's data (" + secret + ") reached the attacker";
            }
        }
        if (r.status() < 400) {
            return null;
        }
        if (!"application/problem+json".equals(r.header("Content-Type"))) {
            return "an error without application/problem+json";
        }
        if (c.shown().startsWith("HEAD ")) {
            return null; // an answer to HEAD has no body
        }
        JsonNode json;
        try {
            json = JsonCodec.read(text);
        } catch (RuntimeException e) {
            return "a problem that is not JSON";
        }
        for (String field : List.of("type", "title", "status", "detail", "code")) {
            if (!json.hasNonNull(field)) {
                return "a problem without " + field;
            }
        }
        if (json.path("status").asInt() != r.status()) {
            return "a problem whose status is not the response's";
        }
        if (c.bytes() < SMALL_REQUEST && r.body().length > MAX_ERROR_BYTES) {
            return "an error of " + r.body().length + " bytes to a request of " + c.bytes();
        }
        return null;
    }

    /** The victim's and the attacker's rows and files that the fuzz aims at. */
    record FuzzTargets(List<String> victimSecrets, Path victimDatasetFile, List<String> victimIds,
            List<String> attackerIds, String attackerFinishedJob, String attackerModel, Path modelRoot) {

        static FuzzTargets create(TestEnv env, Api victimApi, Api attackerApi) throws IOException {
            String dataMarker = "victim-corpus-" + UUID.randomUUID();
            Api.Reply dataset = victimApi.post("/v1/datasets?name=victim-" + UUID.randomUUID(), "text/plain",
                    (dataMarker + " first line\nsecond line\n").getBytes(StandardCharsets.UTF_8));
            check(dataset, 201);
            String datasetId = dataset.json().path("id").asText();
            Path datasetFile = env.artifacts.resolve("datasets").resolve(datasetId + ".txt");
            Path victimFolder = modelFolder(env.modelRoot.resolve("victim-" + UUID.randomUUID()));
            String modelMarker = "victim-model-" + UUID.randomUUID();
            Api.Reply model = victimApi.post("/v1/models", "{\"name\":\"" + modelMarker + "\",\"path\":\"" + victimFolder + "\"}");
            check(model, 201);
            String promptMarker = "victim-prompt-" + UUID.randomUUID();
            Api.Reply job = victimApi.submit("{\"type\":\"generate\",\"model\":\"" + model.json().path("id").asText()
                    + "\",\"prompt\":\"" + promptMarker + "\"}", null);
            check(job, 202);
            Api.Reply train = victimApi.submit("{\"type\":\"train\",\"model\":\"preset:tiny\",\"dataset\":\"" + datasetId
                    + "\",\"output_name\":\"" + modelMarker + "-out\"}", null);
            check(train, 202);

            Path attackerFolder = modelFolder(env.modelRoot.resolve("attacker-" + UUID.randomUUID()));
            Files.createSymbolicLink(attackerFolder.resolve("leak.txt"), datasetFile);
            Files.createSymbolicLink(attackerFolder.resolve("up.txt"), attackerFolder.resolve("..").resolve(".."));
            Api.Reply attackerModel = attackerApi.post("/v1/models", "{\"name\":\"mine\",\"path\":\"" + attackerFolder + "\"}");
            check(attackerModel, 201);
            Api.Reply attackerDataset = attackerApi.post("/v1/datasets?name=mine", "text/plain",
                    "my own line\n".getBytes(StandardCharsets.UTF_8));
            check(attackerDataset, 201);
            Api.Reply attackerJob = attackerApi.submit("{\"type\":\"train\",\"model\":\"preset:tiny\",\"dataset\":\""
                    + attackerDataset.json().path("id").asText() + "\"}", null);
            check(attackerJob, 202);
            String finished = attackerJob.json().path("id").asText();
            check(attackerApi.post("/v1/jobs/" + finished + "/cancel", "{}"), 202);

            List<String> victimIds = List.of(datasetId, model.json().path("id").asText(), job.json().path("id").asText(),
                    train.json().path("id").asText());
            return new FuzzTargets(List.of(dataMarker, modelMarker, promptMarker), datasetFile, victimIds,
                    List.of(attackerModel.json().path("id").asText(), attackerDataset.json().path("id").asText(), finished),
                    finished, attackerModel.json().path("id").asText(), env.modelRoot);
        }

        private static Path modelFolder(Path folder) throws IOException {
            Files.createDirectories(folder);
            Files.writeString(folder.resolve("config.json"), "{\"model_type\":\"roberta\"}");
            Files.writeString(folder.resolve("tokenizer.json"), "{}");
            return folder;
        }

        private static void check(Api.Reply reply, int status) {
            if (reply.status() != status) {
                throw new IllegalStateException("fuzz setup: expected " + status + ", got " + reply);
            }
        }
    }
}

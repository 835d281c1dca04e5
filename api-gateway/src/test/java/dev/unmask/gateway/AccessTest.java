package dev.unmask.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpRequest;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Authentication, isolation between keys, unknown routes and methods, health. */
class AccessTest {
    private final TestEnv env = TestEnv.get();

    @Test
    void missingOrWrongKeyIs401WithAChallenge() {
        for (Api anonymous : new Api[] {env.api(null), new Api(env.gateway.port(), "wrong-secret")}) {
            Api.Reply reply = anonymous.get("/v1/jobs");
            assertEquals(401, reply.status());
            assertEquals("unauthorized", reply.json().path("code").asText());
            assertTrue(reply.header("WWW-Authenticate").startsWith("Bearer"));
            assertEquals("application/problem+json", reply.header("Content-Type"));
        }
        Api.Reply basic = env.api(null).send(env.api(null).request("/v1/jobs").header("Authorization", "Basic eDp5")
                .GET().build());
        assertEquals(401, basic.status());
    }

    @Test
    void seededKeyWorks() {
        assertEquals(200, new Api(env.gateway.port(), "seeded-secret-1").get("/v1/jobs").status());
    }

    @Test
    void aKeySeesNoneOfAnotherKeysJobsDatasetsOrModels() {
        TestEnv.Key a = env.newKey();
        TestEnv.Key b = env.newKey();
        UUID dataset = Fixtures.dataset(env, b);
        UUID model = Fixtures.model(env, b);
        String job = env.api(b).submit(Fixtures.train(dataset, 3), null).json().path("id").asText();
        Api apiA = env.api(a);

        for (String path : new String[] {"/v1/jobs/" + job, "/v1/jobs/" + job + "/checkpoints",
                "/v1/jobs/" + job + "/events", "/v1/datasets/" + dataset, "/v1/models/" + model,
                "/v1/models/" + model + "/files/config.json"}) {
            Api.Reply reply = apiA.get(path);
            assertEquals(404, reply.status(), path);
            assertEquals("not_found", reply.json().path("code").asText());
        }
        assertEquals(404, apiA.post("/v1/jobs/" + job + "/cancel", "").status());
        assertEquals(0, apiA.get("/v1/jobs").json().path("jobs").size());
        assertEquals(0, apiA.get("/v1/datasets").json().path("datasets").size());
        assertEquals(dev.unmask.shared.spec.ModelRef.PRESETS.size(), apiA.get("/v1/models").json().path("models").size(),
                "only the presets");
        assertEquals(200, env.api(b).get("/v1/jobs/" + job).status());
        assertEquals(404, apiA.get("/v1/jobs/not-a-uuid").status());
    }

    @Test
    void unknownRouteIs404AndWrongMethodIs405AsProblems() {
        Api api = env.api(env.newKey());
        Api.Reply unknown = api.get("/v1/nothing");
        assertEquals(404, unknown.status());
        assertEquals("not_found", unknown.json().path("code").asText());
        assertEquals(404, env.api(null).get("/nowhere").status());

        Api.Reply method = api.send(api.request("/v1/jobs").DELETE().build());
        assertEquals(405, method.status(), method.text());
        assertEquals("method_not_allowed", method.json().path("code").asText());
        assertEquals("application/problem+json", method.header("Content-Type"));
        assertEquals(405, api.send(api.request("/v1/jobs/" + UUID.randomUUID())
                .method("PUT", HttpRequest.BodyPublishers.noBody()).build()).status());
    }

    @Test
    void healthLiveAndReady() {
        Api api = env.api(null);
        assertEquals(200, api.get("/health/live").status());
        Api.Reply ready = api.get("/health/ready");
        assertEquals(200, ready.status(), ready.text());
        assertEquals("up", ready.json().path("checks").path("postgres").asText());
        assertEquals("up", ready.json().path("checks").path("kafka").asText());
    }
}

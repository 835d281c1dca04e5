package dev.unmask.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Odd requests get a 4xx problem, never a 500. */
class BadInputTest {
    private final TestEnv env = TestEnv.get();
    private final Api api = env.api(env.newKey());

    private static void assertProblem(Api.Reply reply, int status, String what) {
        assertEquals(status, reply.status(), what + " -> " + reply.text());
        assertEquals("application/problem+json", reply.header("Content-Type"), what);
        assertEquals(status, reply.json().path("status").asInt(), what);
        assertTrue(reply.json().path("code").isTextual(), what);
    }

    @Test
    void oddPathsAndQueries() {
        for (String path : List.of("/v1/jobs/%ZZ", "/v1/jobs/" + "9".repeat(36), "/v1/datasets/%00",
                "/v1/models/%2e%2e%2fetc", "/v1/jobs?limit=%ZZ", "/v1/jobs?status=%", "/v1/jobs/%ZZ/events")) {
            int status = api.rawGet(path);
            assertTrue(status == 400 || status == 404, path + " -> " + status);
        }
        assertEquals(400, api.rawGet("/v1/jobs?limit=%ZZ"));
        assertEquals(400, api.rawGet("/v1/jobs/%ZZ"));
    }

    @Test
    void oddBodies() {
        assertProblem(api.post("/v1/jobs", "application/json", new byte[2 << 20]), 413, "2 MiB of JSON");
        String deep = "[".repeat(5000) + "]".repeat(5000);
        assertProblem(api.submit(deep, null), 400, "nesting 5000 deep");
        assertProblem(api.submit("null", null), 422, "null");
        assertProblem(api.post("/v1/jobs", "application/json", new byte[] {'{', '"', (byte) 0xff, '"', ':', '1', '}'}),
                400, "invalid UTF-8 in JSON");
        assertProblem(api.post("/v1/models", "null"), 422, "null model");
        assertProblem(api.post("/v1/models", "{\"name\":\"x\",\"path\":\"/a\\u0000b\"}"), 422, "NUL in a path (refused naming the field)");
    }
}

package dev.unmask.gateway.edge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.unmask.gateway.Api;
import dev.unmask.gateway.Fixtures;
import dev.unmask.gateway.Gateway;
import dev.unmask.gateway.TestEnv;
import dev.unmask.shared.json.JsonCodec;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The HTTP edge, request by request: what the parser refuses, what must not reach PostgreSQL,
 * forged cursors, bounded errors, and the timeouts for clients that stall.
 */
@Timeout(120)
class HttpEdgeTest {
    private static final Duration LIMIT = Duration.ofSeconds(10);
    private static final TestEnv ENV = TestEnv.get();
    private static Gateway gateway;
    private static TestEnv.Key key;

    @BeforeAll
    static void start() {
        gateway = EdgeGateway.start(ENV);
        key = ENV.newKey();
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    private static RawHttp.Response raw(String request) {
        return RawHttp.exchange(gateway.port(), request.getBytes(StandardCharsets.ISO_8859_1), LIMIT);
    }

    private static String auth() {
        return "Authorization: Bearer " + key.secret() + "\r\n";
    }

    private static JsonNode assertProblem(RawHttp.Response r, int status, String code, String what) {
        assertEquals(status, r.status(), what + " -> " + r);
        assertEquals("application/problem+json", r.header("Content-Type"), what);
        JsonNode json = JsonCodec.read(r.text());
        for (String field : List.of("type", "title", "status", "detail", "code")) {
            assertTrue(json.hasNonNull(field), what + " lacks " + field + ": " + r);
        }
        assertEquals(status, json.path("status").asInt(), what);
        assertEquals(code, json.path("code").asText(), what + " -> " + r);
        return json;
    }

    @Test
    void whatTheParserRefusesIsAProblemToo() {
        assertProblem(raw("GET /v1/jobs HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(9000) + "\r\n\r\n"),
                431, "header_too_large", "a 9 KB header");
        assertProblem(raw("GET /v1/jobs?" + "q".repeat(5000) + " HTTP/1.1\r\nHost: x\r\n\r\n"),
                414, "uri_too_long", "a 5 KB request line");
        assertProblem(raw("POST /v1/jobs HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}"),
                400, "malformed_request", "two Content-Lengths");
        assertProblem(raw("POST /v1/jobs HTTP/1.1\r\nHost: x\r\nContent-Length: ten\r\n\r\n{}"),
                400, "malformed_request", "a non-numeric Content-Length");
        assertProblem(raw("GET /v1/jobs HTTP/1.1\r\nHost: x\r\nno colon here\r\n\r\n"),
                400, "malformed_request", "a header line without a colon");
        assertProblem(raw("HELLO\r\n\r\n"), 400, "malformed_request", "a request line of one word");
        assertProblem(raw("GET /v1/jobs HTTP/9.9\r\nHost: x\r\n\r\n"), 505, "http_version_not_supported", "HTTP/9.9");
        assertProblem(raw("GET /v1/jobs HTTP/1.1\r\n" + auth() + "\r\n"), 400, "bad_request", "no Host");
        assertProblem(raw("GET /v1/jobs HTTP/1.1\r\nHost: [::1\r\n" + auth() + "\r\n"), 400, "bad_request", "Host [::1");
        assertProblem(raw("GET /v1/jobs HTTP/1.1\r\nHost: a\r\nHost: b\r\n" + auth() + "\r\n"), 400, "bad_request",
                "two Hosts");
        assertEquals(200, raw("GET /health/live HTTP/1.0\r\n\r\n").status(), "HTTP/1.0 needs no Host");
    }

    @Test
    void aBrokenChunkedBodyIsAProblem() {
        RawHttp.Response r = raw("POST /v1/jobs HTTP/1.1\r\nHost: x\r\n" + auth()
                + "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n");
        assertEquals(400, r.status(), r.toString());
        assertEquals("application/problem+json", r.header("Content-Type"), r.toString());
    }

    @Test
    void unknownRoutesAndMethodsAreProblems() {
        assertProblem(raw("GET /v1/nothing-here HTTP/1.1\r\nHost: x\r\n" + auth() + "\r\n"), 404, "not_found", "route");
        assertProblem(raw("DELETE /v1/jobs HTTP/1.1\r\nHost: x\r\n" + auth() + "\r\n"), 405, "method_not_allowed",
                "method");
        assertProblem(raw("PUT /health/live HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n"), 405,
                "method_not_allowed", "PUT on health");
    }

    @Test
    void nulIsRefusedNamingTheField() {
        Api api = new Api(gateway.port(), key.secret());
        Api.Reply dataset = api.post("/v1/datasets?name=a%00b", "text/plain", "one line\n".getBytes(StandardCharsets.UTF_8));
        assertEquals(422, dataset.status(), dataset.text());
        assertEquals(List.of("name:nul"), dataset.errors());
        Api.Reply model = api.post("/v1/models", "{\"name\":\"a\\u0000b\",\"path\":\"" + ENV.modelRoot + "\"}");
        assertEquals(422, model.status(), model.text());
        assertEquals(List.of("name:nul"), model.errors());
        Api.Reply job = api.submit("{\"type\":\"generate\",\"model\":\"" + UUID.randomUUID()
                + "\",\"prompt\":\"x\\u0000y\"}", null);
        assertEquals(422, job.status(), job.text());
        assertTrue(job.errors().contains("prompt:nul"), job.text());
    }

    @Test
    void queriesAreCheckedLikePaths() {
        assertProblem(raw("POST /v1/datasets?name=%zz HTTP/1.1\r\nHost: x\r\n" + auth()
                + "Content-Type: text/plain\r\nContent-Length: 2\r\n\r\nab"), 400, "bad_request", "name=%zz");
        assertProblem(raw("GET /v1/jobs/" + UUID.randomUUID() + "/events?last_event_id=% HTTP/1.1\r\nHost: x\r\n"
                + auth() + "\r\n"), 400, "bad_request", "last_event_id=%");
    }

    @Test
    void forgedCursorsAreInvalidCursors() {
        String id = UUID.randomUUID().toString();
        for (String raw : List.of("99999999999999999:0:" + id, "9223372036854775807:999999999999:" + id,
                "-62135596801:0:" + id, "1:2:3", "garbage")) {
            String cursor = Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
            assertProblem(raw("GET /v1/jobs?cursor=" + cursor + " HTTP/1.1\r\nHost: x\r\n" + auth() + "\r\n"), 400,
                    "invalid_cursor", raw);
        }
    }

    @Test
    void errorsAreBoundedWhateverTheBodyHolds() {
        StringBuilder body = new StringBuilder("{\"type\":\"generate\",\"model\":\"" + UUID.randomUUID() + "\"");
        int fields = 0;
        while (body.length() < 1_000_000 - 20) {
            body.append(",\"f").append(fields++).append("\":1");
        }
        body.append('}');
        Api.Reply reply = new Api(gateway.port(), key.secret()).submit(body.toString(), null);
        assertEquals(422, reply.status());
        JsonNode json = reply.json();
        assertEquals(50, json.path("errors").size());
        assertEquals(fields - 50, json.path("errors_omitted").asInt(), "the rest are counted");
        assertTrue(reply.text().length() < 64 * 1024, "422 of " + reply.text().length() + " bytes");
    }

    @Test
    void aClientThatNeverFinishesItsHeadersGetsA408() {
        RawHttp.Response r = RawHttp.exchange(gateway.port(), new RawHttp.Send(List.of(
                "GET /v1/jobs HTTP/1.1\r\n".getBytes(StandardCharsets.ISO_8859_1), "Host: x\r\n".getBytes(StandardCharsets.ISO_8859_1),
                "X-A: 1\r\n".getBytes(StandardCharsets.ISO_8859_1), "X-B: 2\r\n".getBytes(StandardCharsets.ISO_8859_1)),
                Duration.ofMillis(500)), LIMIT);
        assertProblem(r, 408, "request_timeout", "headers trickled over 1.5 s, then nothing");
        assertTrue(r.millis() < EdgeGateway.HEADER.toMillis() + 2_000, r.millis() + " ms");
    }

    @Test
    void aBodyThatStopsArrivingGetsA408() {
        String head = "POST /v1/jobs HTTP/1.1\r\nHost: x\r\n" + auth() + "Content-Type: application/json\r\n"
                + "Content-Length: 100\r\n\r\n{\"type\":";
        RawHttp.Response r = raw(head);
        assertProblem(r, 408, "request_timeout", "a JSON body that stops");
        assertTrue(r.millis() < EdgeGateway.BODY.toMillis() + 3_000, r.millis() + " ms");
    }

    @Test
    void anUploadThatStallsGetsA408AndLeavesNoFile() throws Exception {
        String head = "POST /v1/datasets?name=slow HTTP/1.1\r\nHost: x\r\n" + auth() + "Content-Type: text/plain\r\n"
                + "Content-Length: 60000\r\n\r\n";
        byte[] line = "a slow line\n".getBytes(StandardCharsets.ISO_8859_1);
        RawHttp.Response r = RawHttp.exchange(gateway.port(), new RawHttp.Send(List.of(
                head.getBytes(StandardCharsets.ISO_8859_1), line, line, line, line, line, line, line, line),
                Duration.ofMillis(700)), LIMIT);
        assertProblem(r, 408, "request_timeout", "an upload at 17 bytes/s");
        Thread.sleep(300);
        try (var files = java.nio.file.Files.list(ENV.artifacts.resolve("datasets"))) {
            assertTrue(files.noneMatch(f -> {
                try {
                    return java.nio.file.Files.readString(f).startsWith("a slow line");
                } catch (java.io.IOException e) {
                    return false;
                }
            }), "the partial upload is deleted");
        }
    }

    @Test
    void aDroppedUploadIsNoErrorInTheLog() throws Exception {
        ch.qos.logback.classic.Logger root = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory
                .getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> log =
                new ch.qos.logback.core.read.ListAppender<>();
        log.start();
        root.addAppender(log);
        try {
            for (int i = 0; i < 3; i++) {
                try (Socket socket = new Socket("127.0.0.1", gateway.port())) {
                    socket.getOutputStream().write(("POST /v1/datasets?name=dropped HTTP/1.1\r\nHost: x\r\n" + auth()
                            + "Content-Type: text/plain\r\nContent-Length: 50000\r\n\r\nthe start of a corpus\n")
                            .getBytes(StandardCharsets.ISO_8859_1));
                    Thread.sleep(300);
                }
            }
            Thread.sleep(500);
            List<String> errors = log.list.stream().filter(e -> e.getLevel().isGreaterOrEqual(ch.qos.logback.classic.Level.WARN)
                            && (e.getLoggerName().startsWith("dev.unmask.gateway") || e.getLoggerName().startsWith("io.vertx")))
                    .map(e -> e.getLoggerName() + ": " + e.getFormattedMessage()).toList();
            assertEquals(List.of(), errors, "a client hang-up is logged at debug");
        } finally {
            root.detachAppender(log);
        }
    }

    @Test
    void anIdleConnectionIsClosedAndAnEventStreamIsNot() throws Exception {
        try (Socket idle = new Socket("127.0.0.1", gateway.port())) {
            idle.setSoTimeout((int) LIMIT.toMillis());
            idle.getOutputStream().write("GET /health/live HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            InputStream in = idle.getInputStream();
            long start = System.nanoTime();
            byte[] buffer = new byte[4096];
            while (in.read(buffer) >= 0) {
                // the answer, then nothing until the server closes
            }
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertTrue(millis < 2 * EdgeGateway.IDLE.toMillis() + 2_000, "closed after " + millis + " ms");
        }

        Api api = new Api(gateway.port(), key.secret());
        String job = api.submit(Fixtures.train(Fixtures.dataset(ENV, key), 10), null).json().path("id").asText();
        try (Socket sse = new Socket("127.0.0.1", gateway.port())) {
            sse.setSoTimeout(2_000);
            sse.getOutputStream().write(("GET /v1/jobs/" + job + "/events HTTP/1.1\r\nHost: x\r\n" + auth() + "\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            InputStream in = sse.getInputStream();
            long until = System.nanoTime() + 2 * EdgeGateway.IDLE.toNanos() + 1_000_000_000L;
            byte[] buffer = new byte[4096];
            int bytes = 0;
            while (System.nanoTime() < until) {
                int n = in.read(buffer);
                assertTrue(n >= 0, "the event stream was closed after " + bytes + " bytes");
                bytes += n;
            }
        }
    }
}

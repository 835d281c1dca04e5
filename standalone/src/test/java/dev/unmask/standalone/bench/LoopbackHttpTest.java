package dev.unmask.standalone.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The benchmark's load client against a real HTTP server: both body framings, keep-alive, the bearer key. */
class LoopbackHttpTest {
    private HttpServer server;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/echo", exchange -> {
            byte[] in = exchange.getRequestBody().readAllBytes();
            String auth = exchange.getRequestHeaders().getFirst("Authorization");
            byte[] out = (exchange.getRequestMethod() + " " + auth + " " + new String(in, StandardCharsets.UTF_8))
                    .getBytes(StandardCharsets.UTF_8);
            boolean chunked = exchange.getRequestURI().getQuery() != null;
            exchange.sendResponseHeaders(202, chunked ? 0 : out.length); // 0: chunked encoding
            try (OutputStream body = exchange.getResponseBody()) {
                for (byte b : out) { // many small writes: many chunks
                    body.write(b);
                    if (chunked) {
                        body.flush();
                    }
                }
            }
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void readsLengthAndChunkedRepliesOverOneConnection() throws IOException {
        try (LoopbackHttp http = new LoopbackHttp(server.getAddress().getPort(), "k1")) {
            for (int i = 0; i < 3; i++) {
                LoopbackHttp.Reply posted = http.post("/echo", "application/json",
                        "{\"n\":\"é\"}".getBytes(StandardCharsets.UTF_8));
                assertEquals(202, posted.status());
                assertEquals("POST Bearer k1 {\"n\":\"é\"}", posted.body());
                LoopbackHttp.Reply chunked = http.get("/echo?chunked");
                assertEquals("GET Bearer k1 ", chunked.body());
            }
        }
    }

    @Test
    void aClosedServerIsAnErrorNotAHang() throws IOException {
        try (LoopbackHttp http = new LoopbackHttp(server.getAddress().getPort(), "k1")) {
            assertEquals(202, http.get("/echo").status());
            server.stop(0);
            assertThrows(IOException.class, () -> http.get("/echo"));
        }
    }

    @Test
    void theJobIdIsTheReplysFirstIdField() {
        assertEquals("6f1c", ApiBenchmark.jobId("{\"id\":\"6f1c\",\"spec\":{\"dataset\":{\"id\":\"x\"}}}"));
        assertThrows(IllegalStateException.class, () -> ApiBenchmark.jobId("{\"type\":\"train\"}"));
    }
}

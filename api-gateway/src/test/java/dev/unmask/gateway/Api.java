package dev.unmask.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import dev.unmask.shared.json.JsonCodec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** A small blocking HTTP/1.1 client for the gateway, with one API key. */
public final class Api {
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private final int port;
    private final String secret;

    public Api(int port, String secret) {
        this.port = port;
        this.secret = secret;
    }

    /** A response: status, headers and the body as text and (when it parses) JSON. */
    public record Reply(int status, java.net.http.HttpHeaders headers, String text) {
        public JsonNode json() {
            return JsonCodec.read(text);
        }

        public String header(String name) {
            return headers.firstValue(name).orElse(null);
        }

        /** The field paths and codes of a problem's errors, as "field:code". */
        public java.util.List<String> errors() {
            java.util.List<String> out = new java.util.ArrayList<>();
            json().path("errors").forEach(e -> out.add(e.path("field").asText() + ":" + e.path("code").asText()));
            return out;
        }

        @Override
        public String toString() {
            return status + " " + text;
        }
    }

    public HttpRequest.Builder request(String path) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(30));
        if (secret != null) {
            b.header("Authorization", "Bearer " + secret);
        }
        return b;
    }

    public Reply get(String path) {
        return send(request(path).GET().build());
    }

    public Reply post(String path, String json) {
        return send(request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    public Reply post(String path, String contentType, byte[] body) {
        HttpRequest.Builder b = request(path).POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        return send(b.build());
    }

    public Reply submit(String json, String idempotencyKey) {
        HttpRequest.Builder b = request("/v1/jobs").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
        if (idempotencyKey != null) {
            b.header("Idempotency-Key", idempotencyKey);
        }
        return send(b.build());
    }

    public Reply send(HttpRequest request) {
        try {
            HttpResponse<String> r = CLIENT.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return new Reply(r.statusCode(), r.headers(), r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Sends {@code GET target} as written (no URI checks) and returns the status code. */
    public int rawGet(String target) {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
            String request = "GET " + target + " HTTP/1.1\r\nHost: localhost\r\n"
                    + (secret == null ? "" : "Authorization: Bearer " + secret + "\r\n") + "Connection: close\r\n\r\n";
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            String status = new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(),
                    StandardCharsets.ISO_8859_1)).readLine();
            return Integer.parseInt(status.split(" ")[1]);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static HttpClient client() {
        return CLIENT;
    }
}

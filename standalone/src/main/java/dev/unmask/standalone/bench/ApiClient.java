package dev.unmask.standalone.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.unmask.shared.json.JsonCodec;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A small client of the v1 API, for the benchmark and the demo. */
public final class ApiClient {
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;
    private final String key;

    public ApiClient(String base, String key) {
        this.base = base;
        this.key = key;
    }

    /** A response: status and parsed JSON body (null when the body is empty or not JSON). */
    public record Reply(int status, JsonNode body) {}

    public Reply post(String path, String contentType, String body) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + path))
                .header("Authorization", "Bearer " + key)
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        return reply(http.send(request, HttpResponse.BodyHandlers.ofString()));
    }

    public Reply get(String path) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + path))
                .header("Authorization", "Bearer " + key)
                .GET()
                .build();
        return reply(http.send(request, HttpResponse.BodyHandlers.ofString()));
    }

    private static Reply reply(HttpResponse<String> response) {
        JsonNode body = null;
        if (!response.body().isEmpty()) {
            try {
                body = JsonCodec.read(response.body());
            } catch (RuntimeException e) {
                body = null;
            }
        }
        return new Reply(response.statusCode(), body);
    }
}

package dev.unmask.standalone.client;

import com.fasterxml.jackson.databind.JsonNode;
import dev.unmask.shared.json.JsonCodec;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.Predicate;
import java.util.stream.Stream;

/** A small client of the v1 API, for the demo, the benchmark and the tests. */
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

    /** {@code POST /v1/jobs} with an {@code Idempotency-Key}, so a retried submission is the same job. */
    public Reply submit(String json, String idempotencyKey) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/v1/jobs"))
                .timeout(Duration.ofSeconds(20))
                .header("Authorization", "Bearer " + key)
                .header("Content-Type", "application/json")
                .header("Idempotency-Key", idempotencyKey)
                .POST(HttpRequest.BodyPublishers.ofString(json))
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

    /**
     * Reads a job's Server-Sent Events, handing each event ({@code {id, job_id, kind, data,
     * created_at}}) to {@code onEvent} until it returns false or the server ends the stream (it
     * does after the terminal status).
     */
    public void events(String jobId, Predicate<JsonNode> onEvent) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/v1/jobs/" + jobId + "/events"))
                .header("Authorization", "Bearer " + key)
                .header("Accept", "text/event-stream")
                .GET()
                .build();
        HttpResponse<Stream<String>> response = http.send(request, HttpResponse.BodyHandlers.ofLines());
        if (response.statusCode() != 200) {
            response.body().close();
            throw new IOException("GET events of job " + jobId + " answered " + response.statusCode());
        }
        try (Stream<String> lines = response.body()) {
            java.util.Iterator<String> it = lines.iterator();
            StringBuilder data = new StringBuilder();
            while (it.hasNext()) {
                String line = it.next();
                if (line.startsWith("data:")) {
                    data.append(line.substring(5).trim());
                } else if (line.isEmpty() && data.length() > 0) {
                    JsonNode event = JsonCodec.read(data.toString());
                    data.setLength(0);
                    if (!onEvent.test(event)) {
                        return;
                    }
                }
            }
        }
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

package dev.unmask.standalone.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.unmask.standalone.client.ApiClient;
import java.time.Duration;

/** What the service benchmarks do through the API: a small dataset, a tiny model, submit and wait. */
final class BenchApi {
    private BenchApi() {}

    /** A bench option's positive integer value. @throws IllegalArgumentException naming the option */
    static int positive(String option, String value) {
        try {
            int n = Integer.parseInt(value);
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new IllegalArgumentException(option + " must be a positive integer, got '" + value + "'");
    }

    static String uploadDataset(ApiClient api) throws Exception {
        StringBuilder corpus = new StringBuilder();
        for (int i = 0; i < 300; i++) {
            corpus.append("the cat number ").append(i % 17).append(" sat on the mat and looked at the dog.\n");
        }
        ApiClient.Reply r = api.post("/v1/datasets?name=bench", "text/plain", corpus.toString());
        expect(r, 201);
        return r.body().path("id").asText();
    }

    /** A preset:tiny trained for a few steps on {@code dataset}; its model id. */
    static String tinyModel(ApiClient api, String dataset) throws Exception {
        JsonNode trained = awaitDone(api, submit(api, "{\"type\":\"train\",\"model\":\"preset:tiny\",\"dataset\":\""
                + dataset + "\",\"hyperparameters\":{\"steps\":5,\"batch_size\":4,\"seq_len\":32,"
                + "\"vocab_size\":300,\"eval_samples\":0,\"checkpoint_every\":0}}"), Duration.ofMinutes(5));
        return trained.path("result").path("model").asText();
    }

    static String submit(ApiClient api, String body) throws Exception {
        ApiClient.Reply r = api.post("/v1/jobs", "application/json", body);
        expect(r, 202);
        return r.body().path("id").asText();
    }

    /** Polls every 5 ms until the job succeeded; throws when it failed, was cancelled or took too long. */
    static JsonNode awaitDone(ApiClient api, String id, Duration limit) throws Exception {
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode job = api.get("/v1/jobs/" + id).body();
            String status = job.path("status").asText();
            if (status.equals("succeeded")) {
                return job;
            }
            if (status.equals("failed") || status.equals("cancelled")) {
                throw new IllegalStateException("job " + id + " " + status + ": " + job.path("error"));
            }
            Thread.sleep(5);
        }
        throw new IllegalStateException("job " + id + " did not finish in " + limit);
    }

    static void expect(ApiClient.Reply reply, int status) {
        expect(reply.status(), status, reply.body());
    }

    /** @throws IllegalStateException naming the status and body when {@code status} is not {@code expected} */
    static void expect(int status, int expected, Object body) {
        if (status != expected) {
            throw new IllegalStateException("expected HTTP " + expected + ", got " + status + ": " + body);
        }
    }
}

package dev.unmask.standalone.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.unmask.shared.json.JsonCodec;
import dev.unmask.standalone.Standalone;
import dev.unmask.standalone.StandaloneOptions;
import dev.unmask.standalone.client.ApiClient;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;

/**
 * {@code ./unmask demo}: the service doing its job, end to end through its own API. Starts the
 * standalone server (embedded PostgreSQL and Kafka, the gateway, one worker), uploads the corpus,
 * trains {@code tiny} from scratch while drawing a progress bar from the job's event stream, then
 * writes from a few prompts showing every denoising step. The trained model is kept: a second run
 * goes straight to generation ({@code --retrain} starts over).
 */
public final class DemoMain {
    static final List<String> PROMPTS = List.of("The jury said", "In the morning", "She looked at");
    private static final String STATE = "demo.json";

    private DemoMain() {}

    public static void main(String[] args) throws Exception {
        DemoOptions options;
        try {
            options = DemoOptions.parse(args, System.getenv());
        } catch (IllegalArgumentException e) {
            System.err.println("unmask demo: " + e.getMessage());
            System.exit(2);
            return;
        }
        if (!Files.isRegularFile(options.corpus())) {
            System.err.println("unmask demo: corpus " + options.corpus() + " not found");
            System.exit(2);
        }
        PrintStream out = System.out;
        out.println("== starting Unmask (embedded PostgreSQL and Kafka, gateway, 1 worker) in " + options.dataDir());
        Standalone system = Standalone.start(new StandaloneOptions(options.port(), options.dataDir(), 1), System.getenv());
        try {
            ApiClient api = new ApiClient("http://127.0.0.1:" + system.port(), system.apiKey());
            String model = trainedModel(api, options, out);
            for (String prompt : PROMPTS) {
                generate(api, model, prompt, out);
            }
            printTryIt(out, system, model);
        } catch (RuntimeException | IOException e) {
            system.close();
            throw e;
        }
        if (options.exit()) {
            system.close();
            return;
        }
        out.println("== serving until Ctrl-C");
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            system.close();
            stopped.countDown();
        }, "unmask-demo-shutdown"));
        stopped.await();
    }

    /** The model trained by an earlier run, or a new one trained now. */
    private static String trainedModel(ApiClient api, DemoOptions options, PrintStream out) throws Exception {
        Path state = options.dataDir().resolve(STATE);
        if (!options.retrain() && Files.isRegularFile(state)) {
            String model = JsonCodec.read(Files.readString(state)).path("model").asText();
            if (api.get("/v1/models/" + model).status() == 200) {
                out.println("== using the model trained before (" + model + "); --retrain to start over");
                return model;
            }
        }
        out.println("== uploading " + options.corpus().getFileName() + " (" + Files.size(options.corpus()) / 1024 + " KiB)");
        ApiClient.Reply dataset = api.post("/v1/datasets?name=" + options.corpus().getFileName(), "text/plain",
                Files.readString(options.corpus(), StandardCharsets.UTF_8));
        require(dataset, 201);
        out.printf(Locale.ROOT, "   dataset %s: %,d documents%n", dataset.body().path("id").asText(),
                dataset.body().path("documents").asLong());
        String body = "{\"type\":\"train\",\"model\":\"preset:tiny\",\"dataset\":\"" + dataset.body().path("id").asText()
                + "\",\"output_name\":\"demo-tiny\",\"hyperparameters\":{\"steps\":" + options.steps()
                + ",\"batch_size\":16,\"seq_len\":128,\"learning_rate\":0.001,\"warmup_steps\":"
                + Math.max(1, Math.min(100, options.steps() / 10))
                + ",\"vocab_size\":4000,\"checkpoint_every\":200,\"eval_samples\":4,\"seed\":0}}";
        ApiClient.Reply job = api.post("/v1/jobs", "application/json", body);
        require(job, 202);
        String id = job.body().path("id").asText();
        out.println("== training tiny from scratch (job " + id + ", " + options.steps() + " steps)");
        ProgressBar bar = new ProgressBar(out, System.console() != null);
        api.events(id, event -> {
            switch (event.path("kind").asText()) {
                case "progress" -> bar.update(event.path("data"));
                case "log" -> {
                    if (System.console() == null) {
                        out.println("   " + event.path("data").path("message").asText());
                    }
                }
                default -> { }
            }
            return true;
        });
        JsonNode done = api.get("/v1/jobs/" + id).body();
        if (!"succeeded".equals(done.path("status").asText())) {
            throw new IllegalStateException("training " + done.path("status").asText() + ": " + done.path("error"));
        }
        JsonNode eval = done.path("result").path("eval");
        out.printf(Locale.ROOT, "== trained: final loss %.3f; held-out masked accuracy at 15%% %.3f (unigram %.3f), "
                + "ELBO perplexity %.0f (unigram %.0f)%n", done.path("result").path("final_loss").asDouble(),
                eval.path("masked_accuracy_0.15").asDouble(), eval.path("unigram_accuracy_0.15").asDouble(),
                eval.path("elbo_perplexity").asDouble(), eval.path("unigram_perplexity").asDouble());
        String model = done.path("result").path("model").asText();
        ObjectNode saved = JsonCodec.MAPPER.createObjectNode().put("model", model).put("job", id);
        Files.writeString(state, JsonCodec.write(saved));
        return model;
    }

    private static void generate(ApiClient api, String model, String prompt, PrintStream out) throws Exception {
        ApiClient.Reply job = api.post("/v1/jobs", "application/json", "{\"type\":\"generate\",\"model\":\"" + model
                + "\",\"prompt\":" + JsonCodec.write(JsonCodec.MAPPER.getNodeFactory().textNode(prompt))
                + ",\"max_tokens\":24,\"strategy\":\"refine\",\"steps\":10,\"temperature\":1.0,\"seed\":1}");
        require(job, 202);
        String id = job.body().path("id").asText();
        out.println("== \"" + prompt + "\"  (each denoising step; \u2591 = still masked)");
        api.events(id, event -> {
            if (event.path("kind").asText().equals("frame")) {
                JsonNode f = event.path("data");
                out.printf(Locale.ROOT, "  step %d  %s%n", f.path("step").asInt(), f.path("canvas").asText().strip());
            }
            return true;
        });
        JsonNode done = api.get("/v1/jobs/" + id).body();
        if (!"succeeded".equals(done.path("status").asText())) {
            throw new IllegalStateException("generation " + done.path("status").asText() + ": " + done.path("error"));
        }
        out.println("  => " + done.path("result").path("full_texts").get(0).asText().strip());
    }

    private static void printTryIt(PrintStream out, Standalone system, String model) {
        String api = "http://localhost:" + system.port();
        out.println();
        out.println("== Unmask is running at " + api + "/  (web UI; API under /v1)");
        out.println("   API key: " + system.apiKey());
        out.println("   try:");
        out.println("   KEY=" + system.apiKey());
        out.println("   curl -s -H \"Authorization: Bearer $KEY\" " + api + "/v1/models");
        out.println("   curl -s -H \"Authorization: Bearer $KEY\" -H 'Content-Type: application/json' \\");
        out.println("        -d '{\"type\":\"generate\",\"model\":\"" + model
                + "\",\"prompt\":\"The jury said\",\"max_tokens\":32,\"strategy\":\"topk\",\"steps\":8}' " + api + "/v1/jobs");
        out.println("   curl -N -H \"Authorization: Bearer $KEY\" " + api + "/v1/jobs/<job id>/events");
    }

    private static void require(ApiClient.Reply reply, int status) {
        if (reply.status() != status) {
            throw new IllegalStateException("the API answered " + reply.status() + ": " + reply.body());
        }
    }
}

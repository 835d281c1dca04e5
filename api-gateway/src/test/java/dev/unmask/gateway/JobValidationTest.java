package dev.unmask.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every bad job body names its fields; bad JSON, bad media types and unknown references have their own codes. */
class JobValidationTest {
    private static final String ID = UUID.randomUUID().toString();
    private static final String TRAIN = "{\"type\":\"train\",\"model\":\"preset:tiny\",\"dataset\":\"" + ID + "\"";
    private static final String GENERATE = "{\"type\":\"generate\",\"model\":\"" + ID + "\"";

    private final TestEnv env = TestEnv.get();
    private final TestEnv.Key key = env.newKey();
    private final Api api = env.api(key);

    static Stream<Arguments> badBodies() {
        return Stream.of(
                Arguments.of("{}", List.of("type:required")),
                Arguments.of("[]", List.of(":type")),
                Arguments.of("{\"type\":\"fly\"}", List.of("type:enum")),
                Arguments.of("{\"type\":\"train\"}", List.of("model:required", "dataset:required")),
                Arguments.of("{\"type\":\"train\",\"model\":\"preset:huge\",\"dataset\":\"" + ID + "\"}",
                        List.of("model:format")),
                Arguments.of("{\"type\":\"train\",\"model\":\"preset:tiny\",\"dataset\":\"nope\"}",
                        List.of("dataset:format")),
                Arguments.of(TRAIN + ",\"colour\":\"red\"}", List.of("colour:unknown_field")),
                Arguments.of(TRAIN + ",\"hyperparameters\":{\"steps\":0}}", List.of("hyperparameters.steps:range")),
                Arguments.of(TRAIN + ",\"hyperparameters\":{\"steps\":\"ten\"}}", List.of("hyperparameters.steps:type")),
                Arguments.of(TRAIN + ",\"hyperparameters\":{\"lr\":1}}", List.of("hyperparameters.lr:unknown_field")),
                Arguments.of(TRAIN + ",\"hyperparameters\":{\"seq_len\":16,\"prefix_len\":16}}",
                        List.of("hyperparameters.prefix_len:range")),
                Arguments.of(TRAIN + ",\"hyperparameters\":{\"noise\":{\"schedule\":\"continuous\",\"eps\":0.9}}}",
                        List.of("hyperparameters.noise.eps:range")),
                Arguments.of(TRAIN + ",\"hyperparameters\":{\"lr_decay\":\"step\",\"batch_size\":0}}",
                        List.of("hyperparameters.batch_size:range", "hyperparameters.lr_decay:enum")),
                Arguments.of(TRAIN + ",\"hyperparameters\":{\"precision\":\"bf16\"}}",
                        List.of("hyperparameters.precision:enum")),
                Arguments.of("{\"type\":\"generate\"}", List.of("model:required")),
                Arguments.of("{\"type\":\"generate\",\"model\":\"preset:tiny\"}", List.of("model:untrained_preset")),
                Arguments.of(GENERATE + ",\"top_p\":0}", List.of("top_p:range")),
                Arguments.of(GENERATE + ",\"strategy\":\"beam\"}", List.of("strategy:enum")),
                Arguments.of(GENERATE + ",\"n\":65,\"steps\":0}", List.of("n:range", "steps:range")),
                Arguments.of(GENERATE + ",\"prompt\":7}", List.of("prompt:type")),
                Arguments.of("{\"type\":\"generate\",\"model\":\"org/name/extra\"}", List.of("model:format")),
                Arguments.of("{\"type\":\"train\",\"model\":\"../name\",\"dataset\":\"" + ID + "\"}",
                        List.of("model:format")));
    }

    @ParameterizedTest
    @MethodSource("badBodies")
    void everyValidationErrorNamesItsField(String body, List<String> expected) {
        Api.Reply reply = api.submit(body, null);
        assertEquals(422, reply.status(), reply.text());
        assertEquals("application/problem+json", reply.header("Content-Type"));
        assertEquals("validation_failed", reply.json().path("code").asText());
        assertEquals(422, reply.json().path("status").asInt());
        assertEquals(new HashSet<>(expected), new HashSet<>(reply.errors()), reply.text());
    }

    @Test
    void aGenerateJobThatCannotFitItsModelsPositionsIsRefusedNamingTheLimit() throws Exception {
        java.nio.file.Path folder = java.nio.file.Files.createDirectories(env.modelRoot.resolve("short-" + java.util.UUID.randomUUID()));
        java.nio.file.Files.writeString(folder.resolve("config.json"),
                "{\"model_type\":\"roberta\",\"max_position_embeddings\":66,\"pad_token_id\":1}");
        String model = api.post("/v1/models", "{\"name\":\"short\",\"path\":\"" + folder + "\"}").json()
                .path("id").asText();
        Api.Reply tooLong = api.submit("{\"type\":\"generate\",\"model\":\"" + model + "\",\"prompt\":\"hi\","
                + "\"max_tokens\":62}", null);
        assertEquals(422, tooLong.status(), tooLong.text());
        assertEquals(java.util.List.of("max_tokens:too_long"), tooLong.errors());
        assertTrue(tooLong.text().contains("62 tokens"), "names the model's limit (66 positions, 2 special, offset 2): "
                + tooLong.text());
        assertEquals(202, api.submit("{\"type\":\"generate\",\"model\":\"" + model + "\",\"prompt\":\"hi\","
                + "\"max_tokens\":61}", null).status(), "61 + the prompt's one token fit");
        assertEquals(202, api.submit("{\"type\":\"generate\",\"model\":\"" + model + "\",\"prompt\":\"a <mask> b\","
                + "\"max_tokens\":500}", null).status(), "an infilling template writes into itself");
    }

    @Test
    void malformedJsonIs400() {
        for (String body : List.of("{\"type\":", "", "{} x", "nope")) {
            Api.Reply reply = api.submit(body, null);
            assertEquals(400, reply.status(), body + " -> " + reply.text());
            assertEquals("malformed_json", reply.json().path("code").asText());
        }
    }

    @Test
    void anotherContentTypeIs415() {
        Api.Reply reply = api.post("/v1/jobs", "text/plain", "{\"type\":\"train\"}".getBytes());
        assertEquals(415, reply.status(), reply.text());
        assertEquals("unsupported_media_type", reply.json().path("code").asText());
        assertEquals(415, api.post("/v1/jobs", null, "{}".getBytes()).status());
    }

    @Test
    void unknownDatasetAndModelAre422() {
        Api.Reply train = api.submit("{\"type\":\"train\",\"model\":\"" + UUID.randomUUID() + "\",\"dataset\":\""
                + UUID.randomUUID() + "\"}", null);
        assertEquals(422, train.status(), train.text());
        assertEquals(Set.of("dataset:unknown_dataset", "model:unknown_model"), new HashSet<>(train.errors()));

        Api.Reply generate = api.submit(GENERATE + "}", null);
        assertEquals(422, generate.status());
        assertEquals(List.of("model:unknown_model"), generate.errors());

        // Another key's dataset is as unknown as a missing one.
        TestEnv.Key other = env.newKey();
        Api.Reply foreign = api.submit(Fixtures.train(Fixtures.dataset(env, other), 3), null);
        assertEquals(List.of("dataset:unknown_dataset"), foreign.errors());
    }

    @Test
    void hubIdsAreModelsTheWorkerResolves() {
        UUID dataset = Fixtures.dataset(env, key);
        Api.Reply train = api.submit("{\"type\":\"train\",\"model\":\"FacebookAI/roberta-base@main\",\"dataset\":\""
                + dataset + "\"}", null);
        assertEquals(202, train.status(), train.text());
        assertEquals("FacebookAI/roberta-base@main", train.json().path("spec").path("model").asText(), train.text());
        Api.Reply generate = api.submit("{\"type\":\"generate\",\"model\":\"org/tiny-mlm\",\"prompt\":\"x\"}", null);
        assertEquals(202, generate.status(), generate.text());
        assertEquals("org/tiny-mlm", generate.json().path("spec").path("model").asText(), generate.text());
    }

    @Test
    void overlongIdempotencyKeyIsNamed() {
        Api.Reply reply = api.submit(Fixtures.train(Fixtures.dataset(env, key), 3), "k".repeat(201));
        assertEquals(422, reply.status());
        assertEquals(List.of("Idempotency-Key:length"), reply.errors());
    }
}

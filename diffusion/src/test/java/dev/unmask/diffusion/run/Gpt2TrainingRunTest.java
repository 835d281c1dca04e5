package dev.unmask.diffusion.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;
import com.fasterxml.jackson.databind.JsonNode;
import dev.unmask.diffusion.Fixtures;
import dev.unmask.diffusion.checkpoint.Gpt2CheckpointReader;
import dev.unmask.diffusion.checkpoint.SafetensorsReader;
import dev.unmask.corpus.CorpusFormat;
import dev.unmask.diffusion.data.Packing;
import dev.unmask.diffusion.eval.PerplexityReport;
import dev.unmask.diffusion.model.Gpt2Config;
import dev.unmask.diffusion.noise.DiscreteLevels;
import dev.unmask.diffusion.sample.FrameListener;
import dev.unmask.diffusion.sample.GenerationConfig;
import dev.unmask.diffusion.sample.Strategy;
import dev.unmask.diffusion.tokenizer.BpeTrainerConfig;
import dev.unmask.diffusion.tokenizer.TextTokenizer;
import dev.unmask.diffusion.train.TrainConfig;
import dev.unmask.diffusion.train.TrainingProgress;
import dev.unmask.diffusion.util.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Whole GPT-2 runs, as the command line and the job service start them. */
class Gpt2TrainingRunTest {
    @TempDir Path tmp;

    Path corpus(String name, int lines) throws Exception {
        List<String> out = new ArrayList<>();
        String[] s = TrainingRunTest.SENTENCES;
        for (int i = 0; i < lines; i++) {
            out.add(s[i % s.length] + " and " + s[(i * 7 + 3) % s.length] + " .");
        }
        return Files.write(tmp.resolve(name), out);
    }

    TrainSpec spec(String model, Path corpus, Path out, TrainConfig config) {
        return new TrainSpec(ModelSource.parse(model), List.of(corpus), CorpusFormat.AUTO, out, null, 300, 32,
                Packing.PACK, 0.1, config, Device.cpu(), 1);
    }

    @Test
    void fromScratchTrainsAGpt2TokenizerAndAGpt2FolderAndReportsPerplexity() throws Exception {
        Path out = tmp.resolve("scratch");
        List<TrainingProgress> progress = new ArrayList<>();
        TrainRunResult r = TrainingRun.run(spec("preset:gpt2-tiny", corpus("c.txt", 300), out,
                TrainingRunTest.config(24, 0, new DiscreteLevels(10))), m -> {}, progress::add, () -> false);
        assertTrue(r.tokenizerTrained());
        assertEquals(24, progress.size());
        double first = progress.subList(0, 5).stream().mapToDouble(TrainingProgress::loss).average().orElseThrow();
        double last = progress.subList(19, 24).stream().mapToDouble(TrainingProgress::loss).average().orElseThrow();
        assertTrue(last < first * 0.6, "loss falls: " + first + " -> " + last);

        JsonNode tokenizerJson = Json.read(out.resolve("tokenizer.json"));
        assertEquals(1, tokenizerJson.path("added_tokens").size(), tokenizerJson.path("added_tokens").toString());
        assertEquals(BpeTrainerConfig.END_OF_TEXT, tokenizerJson.path("added_tokens").path(0).path("content").asText());
        assertEquals("ByteLevel", tokenizerJson.path("post_processor").path("type").asText());
        try (TextTokenizer tokenizer = TextTokenizer.load(out)) {
            assertEquals(300, tokenizer.vocabSize());
            assertEquals(-1, tokenizer.specials().maskId(), "GPT-2 has no mask token");
            assertEquals(-1, tokenizer.specials().padId());
            assertEquals(0, tokenizer.specials().eosId());
            assertEquals(0, tokenizer.specials().bosId());
            long[] ids = tokenizer.encode("the cat");
            assertFalse(java.util.Arrays.stream(ids).anyMatch(id -> id == 0), "nothing added around a text");
        }

        Gpt2Config config = Gpt2CheckpointReader.readConfig(out);
        assertEquals(128, config.embedSize());
        assertEquals(4, config.numLayers());
        assertEquals(300, config.vocabSize());
        assertTrue(config.tieWordEmbeddings());
        assertEquals(0, config.eosTokenId());
        JsonNode configJson = Json.read(out.resolve("config.json"));
        assertEquals("GPT2LMHeadModel", configJson.path("architectures").path(0).asText());
        try (SafetensorsReader weights = SafetensorsReader.open(out.resolve("model.safetensors"))) {
            assertFalse(weights.entries().containsKey("lm_head.weight"), "the head is tied: not saved");
            assertEquals(new ai.djl.ndarray.types.Shape(128, 384),
                    weights.entries().get("transformer.h.0.attn.c_attn.weight").shape(), "Conv1D weights are [in, out]");
        }

        PerplexityReport eval = assertInstanceOf(PerplexityReport.class, r.eval());
        assertTrue(eval.perplexity() > 1 && eval.perplexity() < eval.unigramPerplexity(),
                "after training it beats the unigram baseline: " + eval);
        assertEquals(Math.exp(eval.nllPerToken()), eval.perplexity(), 1e-9 * eval.perplexity());
        assertEquals(eval.perplexity(), Json.read(out.resolve(TrainingRun.EVAL_FILE)).path("perplexity").asDouble());

        try (PromptGenerator generator = PromptGenerator.load(out, Device.cpu(), DataType.FLOAT32)) {
            assertInstanceOf(CausalTextGenerator.class, generator);
            GenerationConfig greedy = new GenerationConfig(Strategy.TOPK, 4, 0, 0, 1, 0.9, 0, true);
            List<GeneratedText> texts = generator.generate(List.of("the cat", ""), new long[] {1, 2}, 6, greedy,
                    FrameListener.NONE, () -> false);
            assertEquals(2, texts.size());
            assertTrue(texts.get(0).fullText().startsWith("the cat"), texts.get(0).fullText());
        }
    }

    @Test
    void interruptedRunResumesExactly() throws Exception {
        Path data = corpus("c.txt", 200);
        TrainConfig config = TrainingRunTest.config(6, 3, new DiscreteLevels(10));
        TrainRunResult unbroken = TrainingRun.run(spec("preset:gpt2-tiny", data, tmp.resolve("a"), config), m -> {},
                p -> {}, () -> false);
        Path out = tmp.resolve("b");
        int[] step = {0};
        assertThrows(CancellationException.class, () -> TrainingRun.run(spec("preset:gpt2-tiny", data, out, config),
                m -> {}, p -> step[0] = p.step(), () -> step[0] >= 4));
        assertEquals(out.resolve("checkpoint-000003"), TrainingRun.latestCheckpoint(out).orElseThrow());
        TrainRunResult resumed = TrainingRun.run(spec("preset:gpt2-tiny", data, out, config), m -> {}, p -> {},
                () -> false);
        assertEquals(3, resumed.resumedFromStep());
        assertEquals(unbroken.training().losses().subList(3, 6), resumed.training().losses(),
                "bit-identical losses after resume");
        assertEquals(unbroken.eval(), resumed.eval(), "the same weights evaluate the same");
    }

    @Test
    void fineTunesAGpt2FolderWithItsOwnTokenizer() throws Exception {
        Path fixture = Fixtures.gpt2("tiny-gpt2");
        Path out = tmp.resolve("tuned");
        TrainRunResult r = TrainingRun.run(spec(fixture.toString(), corpus("c.txt", 100), out,
                TrainingRunTest.config(6, 0, new DiscreteLevels(10))), m -> {}, p -> {}, () -> false);
        assertFalse(r.tokenizerTrained());
        assertEquals(Files.readString(fixture.resolve("tokenizer.json")), Files.readString(out.resolve("tokenizer.json")));
        assertEquals(Gpt2CheckpointReader.readConfig(fixture).vocabSize(), Gpt2CheckpointReader.readConfig(out).vocabSize());
        assertInstanceOf(PerplexityReport.class, r.eval());
    }
}

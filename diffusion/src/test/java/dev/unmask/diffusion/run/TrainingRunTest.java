package dev.unmask.diffusion.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.unmask.diffusion.Fixtures;
import dev.unmask.corpus.CorpusFormat;
import dev.unmask.diffusion.data.Packing;
import dev.unmask.diffusion.eval.EvalReport;
import dev.unmask.diffusion.noise.ContinuousTime;
import dev.unmask.diffusion.noise.DiscreteLevels;
import dev.unmask.diffusion.noise.NoiseSchedule;
import dev.unmask.diffusion.sample.FrameListener;
import dev.unmask.diffusion.sample.GenerationConfig;
import dev.unmask.diffusion.sample.Strategy;
import dev.unmask.diffusion.tokenizer.TextTokenizer;
import dev.unmask.diffusion.train.ConfigChangeRefusedException;
import dev.unmask.diffusion.train.ConfigDifference;
import dev.unmask.diffusion.train.LrSchedule;
import dev.unmask.diffusion.train.TrainConfig;
import dev.unmask.diffusion.train.TrainingCheckpoint;
import dev.unmask.diffusion.train.TrainingProgress;
import dev.unmask.diffusion.util.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Whole runs as the command line and the job service start them. */
class TrainingRunTest {
    @TempDir Path tmp;

    static final String[] SENTENCES = {
        "the cat sat on the mat", "a dog ran in the park", "the bird sang in the tree",
        "my friend read a good book", "the sun rose over the hills", "she wrote a long letter home",
    };

    Path corpus(String name, int lines) throws Exception {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < lines; i++) {
            out.add(SENTENCES[i % SENTENCES.length] + " and " + SENTENCES[(i * 7 + 3) % SENTENCES.length] + " .");
        }
        return Files.write(tmp.resolve(name), out);
    }

    static TrainConfig config(int steps, int checkpointEvery, NoiseSchedule noise) {
        return new TrainConfig(steps, 8, 1, 2e-3, 2, LrSchedule.Decay.LINEAR, 0.01, 1.0, 0.9, 0.999, 1e-8,
                checkpointEvery, 0, false, noise, 5, dev.unmask.diffusion.train.Precision.FP32);
    }

    TrainSpec scratch(Path corpus, Path out, TrainConfig config) {
        return new TrainSpec(ModelSource.parse("preset:tiny"), List.of(corpus), CorpusFormat.AUTO, out, null, 300, 32,
                Packing.PACK, 0.1, config, Device.cpu(), 2);
    }

    @Test
    void fromScratchTrainsATokenizerTrainsEvaluatesAndGenerates() throws Exception {
        Path out = tmp.resolve("scratch");
        List<String> log = new ArrayList<>();
        List<TrainingProgress> progress = new ArrayList<>();
        TrainRunResult r = TrainingRun.run(scratch(corpus("c.txt", 300), out, config(40, 20, new DiscreteLevels(10))),
                log::add, progress::add, () -> false);
        assertTrue(r.tokenizerTrained());
        assertEquals(40, progress.size());
        assertEquals(2, r.training().checkpoints().size());
        EvalReport eval = assertInstanceOf(EvalReport.class, r.eval());
        assertTrue(eval.maskedAccuracy15() > 0 && eval.maskedAccuracy15() <= 1, eval.toString());
        assertTrue(eval.elboPerplexity() > 1 && Double.isFinite(eval.elboPerplexity()), eval.toString());
        assertTrue(eval.unigramPerplexity() > 1 && eval.unigramPerplexity() < 300, eval.toString());
        double first = progress.subList(0, 5).stream().mapToDouble(TrainingProgress::loss).average().orElseThrow();
        double last = progress.subList(35, 40).stream().mapToDouble(TrainingProgress::loss).average().orElseThrow();
        assertTrue(last < first, "loss falls: " + first + " -> " + last);
        assertTrue(Files.exists(out.resolve("model.safetensors")));
        assertTrue(Files.exists(out.resolve(TrainingRun.EVAL_FILE)));
        try (TextTokenizer tok = TextTokenizer.load(out)) {
            assertEquals(300, tok.vocabSize());
        }
        try (TextGenerator generator = TextGenerator.load(out, Device.cpu(), DataType.FLOAT32)) {
            GenerationConfig greedy = new GenerationConfig(Strategy.TOPK, 4, 0, 0, 1, 0.9, 0, true);
            List<GeneratedText> a = generator.generate(List.of("the cat", "a dog"), new long[] {1, 2}, 8, greedy,
                    FrameListener.NONE, () -> false);
            List<GeneratedText> b = generator.generate(List.of("the cat"), new long[] {1}, 8, greedy,
                    FrameListener.NONE, () -> false);
            assertEquals(a.get(0).text(), b.get(0).text(), "greedy text does not depend on the batch");
            assertFalse(a.get(0).text().contains("<mask>"));
            String rendered = generator.render(generator.canvas("the cat", 3, 0).ids());
            assertTrue(rendered.endsWith(TextGenerator.MASK_GLYPH.repeat(3)), rendered);
        }
    }

    @Test
    void interruptedRunResumesFromItsNewestCheckpoint() throws Exception {
        Path data = corpus("c.txt", 200);
        NoiseSchedule noise = new ContinuousTime(1e-3);
        TrainRunResult unbroken = TrainingRun.run(scratch(data, tmp.resolve("a"), config(12, 4, noise)), m -> {},
                p -> {}, () -> false);

        Path out = tmp.resolve("b");
        int[] step = {0};
        assertThrows(CancellationException.class, () -> TrainingRun.run(scratch(data, out, config(12, 4, noise)),
                m -> {}, p -> step[0] = p.step(), () -> step[0] >= 9));
        assertEquals(out.resolve("checkpoint-000008"), TrainingRun.latestCheckpoint(out).orElseThrow());
        TrainRunResult resumed = TrainingRun.run(scratch(data, out, config(12, 4, noise)), m -> {}, p -> {},
                () -> false);
        assertEquals(8, resumed.resumedFromStep());
        assertEquals(unbroken.training().losses().subList(8, 12), resumed.training().losses());
        assertEquals(unbroken.eval(), resumed.eval(), "the same weights evaluate the same");
    }

    /** {@link #config} with another batch size, learning rate and seed. */
    static TrainConfig config(int steps, int batchSize, double learningRate, long seed) {
        return new TrainConfig(steps, batchSize, 1, learningRate, 2, LrSchedule.Decay.LINEAR, 0.01, 1.0, 0.9, 0.999,
                1e-8, 2, 0, false, new DiscreteLevels(10), seed, dev.unmask.diffusion.train.Precision.FP32);
    }

    @Test
    void aResumeWithAnotherConfigurationIsRefusedNamingEachFieldWithBothValues() throws Exception {
        Path data = corpus("c.txt", 100);
        Path out = tmp.resolve("run");
        TrainingRun.run(scratch(data, out, config(4, 8, 2e-3, 5)), m -> {}, p -> {}, () -> false);

        ConfigChangeRefusedException e = assertThrows(ConfigChangeRefusedException.class, () -> TrainingRun.run(
                scratch(data, out, config(4, 16, 2e-3, 6)), m -> {}, p -> {}, () -> false));
        assertEquals(List.of("batch_size: checkpoint 8, now 16", "seed: checkpoint 5, now 6"),
                e.differences().stream().map(ConfigDifference::toString).toList());
        assertTrue(e.getMessage().contains("batch_size: checkpoint 8, now 16; seed: checkpoint 5, now 6"), e.getMessage());
        assertTrue(e.getMessage().contains("--allow-config-change permits changing only checkpoint_every, "
                + "eval_samples, steps"), e.getMessage());

        ConfigChangeRefusedException longer = assertThrows(ConfigChangeRefusedException.class, () -> TrainingRun.run(
                scratch(data, out, config(6, 8, 2e-3, 5)), m -> {}, p -> {}, () -> false));
        assertEquals(List.of("steps: checkpoint 4, now 6"),
                longer.differences().stream().map(ConfigDifference::toString).toList(), "steps too, unless allowed");

        TrainSpec otherCorpus = scratch(corpus("c.txt", 120), out, config(4, 8, 2e-3, 5));
        ConfigChangeRefusedException data2 = assertThrows(ConfigChangeRefusedException.class,
                () -> TrainingRun.run(otherCorpus, m -> {}, p -> {}, () -> false));
        assertEquals(List.of("corpus"), data2.differences().stream().map(ConfigDifference::field).toList());
    }

    @Test
    void anAllowedChangeResumesAndAnyOtherIsStillRefused() throws Exception {
        Path data = corpus("c.txt", 100);
        Path out = tmp.resolve("run");
        TrainingRun.run(scratch(data, out, config(4, 8, 2e-3, 5)), m -> {}, p -> {}, () -> false);

        ConfigChangeRefusedException e = assertThrows(ConfigChangeRefusedException.class, () -> TrainingRun.run(
                scratch(data, out, config(6, 8, 1e-3, 5)), Resume.ALLOW_SAFE_CHANGES, m -> {}, p -> {}, () -> false));
        assertEquals(List.of("learning_rate: checkpoint 0.002, now 0.001"),
                e.differences().stream().map(ConfigDifference::toString).toList(), "steps may change, the rate may not");

        List<String> log = new ArrayList<>();
        TrainRunResult longer = TrainingRun.run(scratch(data, out, config(6, 8, 2e-3, 5)), Resume.ALLOW_SAFE_CHANGES,
                log::add, p -> {}, () -> false);
        assertEquals(4, longer.resumedFromStep());
        assertEquals(6, longer.training().steps());
        assertTrue(log.stream().anyMatch(l -> l.contains("changed configuration (allowed): [steps: checkpoint 4, now 6]")),
                log.toString());
        // the new checkpoints record the new configuration: resuming them with it needs no permission
        TrainRunResult again = TrainingRun.run(scratch(data, out, config(6, 8, 2e-3, 5)), m -> {}, p -> {}, () -> false);
        assertEquals(6, again.resumedFromStep());
    }

    @Test
    void aCheckpointThatRecordsNoConfigurationResumesWithAWarning() throws Exception {
        Path data = corpus("c.txt", 100);
        Path out = tmp.resolve("old");
        TrainingRun.run(scratch(data, out, config(4, 8, 2e-3, 5)), m -> {}, p -> {}, () -> false);
        Path state = TrainingRun.latestCheckpoint(out).orElseThrow().resolve(TrainingCheckpoint.STATE);
        ObjectNode json = (ObjectNode) Json.read(state);
        assertTrue(json.has("config"), json.toString());
        json.remove("config"); // as checkpoints were written before they carried their configuration
        Json.write(state, json);

        List<String> log = new ArrayList<>();
        TrainRunResult r = TrainingRun.run(scratch(data, out, config(4, 16, 2e-3, 6)), log::add, p -> {}, () -> false);
        assertEquals(4, r.resumedFromStep());
        assertTrue(log.stream().anyMatch(l -> l.startsWith("warning: ") && l.contains("records no run configuration")),
                log.toString());
    }

    @Test
    void fineTuningKeepsTheCheckpointsTokenizerAndShape() throws Exception {
        Path out = tmp.resolve("ft");
        TrainSpec spec = new TrainSpec(ModelSource.parse(Fixtures.model("tiny-roberta").toString()),
                List.of(corpus("c.txt", 100)), CorpusFormat.TEXT, out, null, 8000, 32, Packing.PAD, 0.1,
                config(5, 0, new DiscreteLevels(10)), Device.cpu(), 0);
        TrainRunResult r = TrainingRun.run(spec, m -> {}, p -> {}, () -> false);
        assertFalse(r.tokenizerTrained());
        assertEquals(null, r.eval());
        assertEquals(Files.readString(Fixtures.model("tiny-roberta").resolve("tokenizer.json")),
                Files.readString(out.resolve("tokenizer.json")));
    }

    @Test
    void sequencesLongerThanTheModelAreRefused() throws Exception {
        TrainSpec spec = new TrainSpec(ModelSource.parse(Fixtures.model("tiny-roberta").toString()),
                List.of(corpus("c.txt", 100)), CorpusFormat.TEXT, tmp.resolve("x"), null, 8000, 128, Packing.PAD, 0.1,
                config(5, 0, new DiscreteLevels(10)), Device.cpu(), 0);
        Exception e = assertThrows(IllegalArgumentException.class, () -> TrainingRun.run(spec, m -> {}, p -> {}, () -> false));
        assertTrue(e.getMessage().contains("seq_len 128 exceeds the model's 64 positions"), e.getMessage());
    }

    @Test
    void unknownPresetIsNamed() {
        Exception e = assertThrows(IllegalArgumentException.class, () -> ModelSource.parse("preset:huge"));
        assertTrue(e.getMessage().contains("tiny, small, base"), e.getMessage());
    }
}

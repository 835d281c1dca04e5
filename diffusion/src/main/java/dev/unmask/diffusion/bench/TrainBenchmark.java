package dev.unmask.diffusion.bench;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import dev.unmask.diffusion.model.EncoderConfig;
import dev.unmask.diffusion.model.MaskedLanguageModel;
import dev.unmask.diffusion.model.ModelInitializer;
import dev.unmask.diffusion.noise.DiscreteLevels;
import dev.unmask.diffusion.tokenizer.BpeTrainer;
import dev.unmask.diffusion.tokenizer.BpeTrainerConfig;
import dev.unmask.diffusion.tokenizer.TextTokenizer;
import dev.unmask.diffusion.train.BatchSource;
import dev.unmask.diffusion.train.LrSchedule;
import dev.unmask.diffusion.train.TrainBatch;
import dev.unmask.diffusion.train.Precision;
import dev.unmask.diffusion.train.TrainConfig;
import dev.unmask.diffusion.train.Trainer;
import dev.unmask.diffusion.train.TrainingProgress;
import dev.unmask.diffusion.util.FileTrees;
import dev.unmask.diffusion.util.Rng;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Training throughput (tokens/s) of a preset on random token sequences: the full step (masking,
 * forward at masked positions, backward, clipping, AdamW), median over measured steps.
 */
public final class TrainBenchmark {
    /**
     * @param rssMegabytes resident memory after the first measured step and after each further
     *     quarter of the measured steps
     */
    public record Result(String preset, long parameters, int batchSize, int seqLen, int steps, double medianStepSeconds,
            double tokensPerSecond, List<Long> rssMegabytes) {}

    private TrainBenchmark() {}

    /** What runs with the benchmark's tokenizer. */
    public interface WithTokenizer {
        void run(TextTokenizer tokenizer) throws Exception;
    }

    /**
     * Runs {@code body} with a small byte-level BPE tokenizer (training on random tokens uses only
     * its special ids) saved in a temporary folder, removed afterwards.
     */
    public static void withTokenizer(WithTokenizer body) throws Exception {
        Path dir = Files.createTempDirectory("unmask-bench-tok");
        try {
            BpeTrainer.trainOnTexts(List.of("a tokenizer for the benchmark"), BpeTrainerConfig.of(262)).save(dir);
            try (TextTokenizer tokenizer = TextTokenizer.load(dir)) {
                body.run(tokenizer);
            }
        } finally {
            FileTrees.delete(dir);
        }
    }

    public static Result run(String preset, EncoderConfig config, TextTokenizer tokenizer, int batchSize, int seqLen,
            int warmup, int steps, Device device) throws IOException {
        Path out = Files.createTempDirectory("unmask-bench-train");
        try (NDManager manager = NDManager.newBaseManager(device);
                MaskedLanguageModel model = ModelInitializer.initialize(config, manager, device, DataType.FLOAT32, 1)) {
            TrainConfig train = new TrainConfig(warmup + steps, batchSize, 1, 1e-4, 0, LrSchedule.Decay.CONSTANT, 0.01,
                    1.0, 0.9, 0.999, 1e-8, 0, 0, false, new DiscreteLevels(10), 1,
                    Precision.FP32);
            List<Double> seconds = new ArrayList<>();
            List<Long> rss = new ArrayList<>();
            int quarter = Math.max(1, steps / 4);
            long[] last = {System.nanoTime()};
            try (Trainer trainer = new Trainer(model, tokenizer, train,
                    new RandomBatches(config.vocabSize(), batchSize, seqLen), out)) {
                trainer.run((TrainingProgress p) -> {
                    long now = System.nanoTime();
                    if (p.step() > warmup) {
                        seconds.add((now - last[0]) / 1e9);
                    }
                    if (p.step() == warmup + 1 || (p.step() > warmup && (p.step() - warmup) % quarter == 0)) {
                        rss.add(Memory.residentMegabytes());
                    }
                    last[0] = now;
                }, () -> false);
            }
            double median = Stats.median(seconds);
            return new Result(preset, model.layout().parameterCount(), batchSize, seqLen, steps, median,
                    batchSize * (double) seqLen / median, rss);
        } finally {
            FileTrees.delete(out);
        }
    }

    /** Uniform random tokens above the special ids, no padding. */
    static final class RandomBatches implements BatchSource {
        private final int vocab;
        private final int batch;
        private final int length;
        private final Rng rng = new Rng(7);

        RandomBatches(int vocab, int batch, int length) {
            this.vocab = vocab;
            this.batch = batch;
            this.length = length;
        }

        @Override
        public TrainBatch next() {
            long[][] ids = new long[batch][length];
            long[][] attention = new long[batch][length];
            for (int b = 0; b < batch; b++) {
                for (int i = 0; i < length; i++) {
                    ids[b][i] = 5 + rng.nextInt(vocab - 5);
                    attention[b][i] = 1;
                }
            }
            return new TrainBatch(ids, attention, new int[batch]);
        }

        @Override
        public JsonNode position() {
            return IntNode.valueOf(0);
        }

        @Override
        public void restore(JsonNode position) {}
    }
}

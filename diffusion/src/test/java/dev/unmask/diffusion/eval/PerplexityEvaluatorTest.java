package dev.unmask.diffusion.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.unmask.diffusion.Fixtures;
import dev.unmask.diffusion.checkpoint.Gpt2CheckpointReader;
import dev.unmask.diffusion.checkpoint.SafetensorsReader;
import dev.unmask.diffusion.model.Gpt2Model;
import dev.unmask.diffusion.tokenizer.TextTokenizer;
import dev.unmask.diffusion.train.TrainBatch;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** GPT-2's held-out perplexity against the reference logits of the tiny-gpt2 fixture. */
class PerplexityEvaluatorTest {
    static final Path FIXTURE = Fixtures.gpt2("tiny-gpt2");

    @Test
    void perplexityIsExactOverTheTokensTheElboScores() throws Exception {
        try (NDManager manager = NDManager.newBaseManager(Device.cpu());
                TextTokenizer tokenizer = TextTokenizer.load(FIXTURE);
                Gpt2Model model = Gpt2CheckpointReader.load(FIXTURE, manager, Device.cpu(), DataType.FLOAT32);
                SafetensorsReader parity = SafetensorsReader.open(FIXTURE.resolve("parity.safetensors"))) {
            long[] ids = parity.read("input_ids", manager).toLongArray(); // (2, T)
            long[] mask = parity.read("attention_mask", manager).toLongArray(); // (2, T)
            float[] logits = parity.read("logits", manager).toFloatArray(); // (2, T, V)
            int t = ids.length / 2;
            int vocab = logits.length / ids.length;
            int[] prompts = {3, 0}; // the first row's first 3 tokens are a prompt: context, not scored
            double nll = 0;
            long tokens = 0;
            for (int b = 0; b < 2; b++) {
                for (int i = Math.max(1, prompts[b]); i < t; i++) {
                    long id = ids[b * t + i];
                    if (mask[b * t + i] == 0 || tokenizer.specials().isSpecial(id)) {
                        continue;
                    }
                    int row = (b * t + i - 1) * vocab; // the logits at i - 1 predict the token at i
                    double max = Double.NEGATIVE_INFINITY;
                    for (int v = 0; v < vocab; v++) {
                        max = Math.max(max, logits[row + v]);
                    }
                    double sum = 0;
                    for (int v = 0; v < vocab; v++) {
                        sum += Math.exp(logits[row + v] - max);
                    }
                    nll -= logits[row + (int) id] - max - Math.log(sum);
                    tokens++;
                }
            }
            long[][] rows = {Arrays.copyOfRange(ids, 0, t), Arrays.copyOfRange(ids, t, 2 * t)};
            long[][] attention = {Arrays.copyOfRange(mask, 0, t), Arrays.copyOfRange(mask, t, 2 * t)};
            long[] counts = new long[vocab];
            Arrays.fill(counts, 1);
            // one batch of both rows, and the same rows one per batch: the same tokens
            PerplexityReport together = new PerplexityEvaluator(model, tokenizer.specials(), counts)
                    .evaluate(List.of(new TrainBatch(rows, attention, prompts)));
            PerplexityReport apart = new PerplexityEvaluator(model, tokenizer.specials(), counts).evaluate(List.of(
                    new TrainBatch(new long[][] {rows[0]}, new long[][] {attention[0]}, new int[] {prompts[0]}),
                    new TrainBatch(new long[][] {rows[1]}, new long[][] {attention[1]}, new int[] {prompts[1]})));
            assertEquals(tokens, together.tokens());
            assertEquals(2, together.sequences());
            assertEquals(Math.exp(nll / tokens), together.perplexity(), together.perplexity() * 1e-5,
                    "exp of the mean next-token NLL");
            assertEquals(together.perplexity(), apart.perplexity(), together.perplexity() * 1e-6);
            int nonSpecial = (int) java.util.stream.IntStream.range(0, vocab)
                    .filter(v -> !tokenizer.specials().isSpecial(v)).count();
            assertEquals(nonSpecial, together.unigramPerplexity(), 1e-6 * nonSpecial,
                    "uniform counts: the unigram model is uniform over the non-special tokens");
            assertTrue(together.perplexity() > 1);
        }
    }
}

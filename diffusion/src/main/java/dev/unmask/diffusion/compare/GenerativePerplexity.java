package dev.unmask.diffusion.compare;

import dev.unmask.diffusion.eval.PerplexityEvaluator;
import dev.unmask.diffusion.eval.PerplexityReport;
import dev.unmask.diffusion.model.Gpt2Model;
import dev.unmask.diffusion.tokenizer.TextTokenizer;
import dev.unmask.diffusion.train.TrainBatch;
import java.util.ArrayList;
import java.util.List;

/**
 * The generative perplexity of samples: how likely the autoregressive model finds each
 * continuation given its prompt. Every sample is re-tokenized (prompt ids, then the
 * continuation's ids, no start token, as GPT-2 is prompted) and only the continuation is scored,
 * by {@link PerplexityEvaluator}, in batches of equal-length right-padded rows.
 */
final class GenerativePerplexity {
    private GenerativePerplexity() {}

    /** A prompt and what a model wrote after it, as ids. */
    record Sample(long[] prompt, long[] continuation) {}

    static PerplexityReport score(Gpt2Model scorer, TextTokenizer tokenizer, List<Sample> samples, int batchSize) {
        int positions = scorer.config().maxPositions();
        long pad = Math.max(0, tokenizer.specials().padId());
        List<TrainBatch> batches = new ArrayList<>();
        for (int start = 0; start < samples.size(); start += batchSize) {
            List<Sample> part = samples.subList(start, Math.min(samples.size(), start + batchSize));
            int width = part.stream().mapToInt(s -> Math.min(positions, s.prompt().length + s.continuation().length))
                    .max().orElse(1);
            long[][] ids = new long[part.size()][width];
            long[][] attention = new long[part.size()][width];
            int[] prompts = new int[part.size()];
            for (int b = 0; b < part.size(); b++) {
                Sample s = part.get(b);
                int n = 0;
                for (long id : s.prompt()) {
                    if (n < width) {
                        ids[b][n] = id;
                        attention[b][n++] = 1;
                    }
                }
                for (long id : s.continuation()) {
                    if (n < width) {
                        ids[b][n] = id;
                        attention[b][n++] = 1;
                    }
                }
                for (int t = n; t < width; t++) {
                    ids[b][t] = pad;
                }
                prompts[b] = s.prompt().length;
            }
            batches.add(new TrainBatch(ids, attention, prompts));
        }
        return new PerplexityEvaluator(scorer, tokenizer.specials(), new long[tokenizer.vocabSize()]).evaluate(batches);
    }
}

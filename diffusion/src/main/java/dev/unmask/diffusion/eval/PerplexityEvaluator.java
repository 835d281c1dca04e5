package dev.unmask.diffusion.eval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import dev.unmask.diffusion.model.GradMode;
import dev.unmask.diffusion.model.Gpt2Model;
import dev.unmask.diffusion.model.MaskedLmLoss;
import dev.unmask.diffusion.tokenizer.SpecialTokens;
import dev.unmask.diffusion.train.TrainBatch;
import java.util.ArrayList;
import java.util.List;

/**
 * Held-out evaluation of GPT-2: exact perplexity, no sampling. Every row runs forward once; the
 * LM head runs only at the positions whose next token is scored (the tokens the diffusion ELBO
 * scores: real, after the prompt, not special), and their log-probabilities are summed in double.
 */
public final class PerplexityEvaluator {
    private final Gpt2Model model;
    private final SpecialTokens specials;
    private final Unigram unigram;

    /**
     * @param unigramCounts training-split frequency of every token id, over the tokenizer's
     *     vocabulary (ids the model has beyond it count 0)
     */
    public PerplexityEvaluator(Gpt2Model model, SpecialTokens specials, long[] unigramCounts) {
        this.model = model;
        this.specials = specials;
        this.unigram = Unigram.overVocabulary(model.config().vocabSize(), unigramCounts, specials);
    }

    public PerplexityReport evaluate(List<TrainBatch> heldOut) {
        if (heldOut.isEmpty()) {
            throw new IllegalArgumentException("no held-out sequences to evaluate");
        }
        return GradMode.disabled(() -> {
            double nll = 0;
            double unigramNll = 0;
            long tokens = 0;
            for (TrainBatch batch : heldOut) {
                Targets targets = targets(batch);
                if (targets.ids.length == 0) {
                    continue;
                }
                try (NDManager scope = model.manager().newSubManager()) {
                    NDArray hidden = model.hidden(scope.create(batch.ids()), scope.create(batch.attention())); // (B, T, E)
                    NDArray rows = hidden.reshape(-1, model.config().embedSize())
                            .get(new NDIndex("{}", scope.create(targets.predictedAt))); // (M, E)
                    NDArray logits = model.logits(rows); // (M, V)
                    NDArray ones = scope.ones(new ai.djl.ndarray.types.Shape(targets.ids.length)); // (M)
                    nll += MaskedLmLoss.weightedCrossEntropy(logits, scope.create(targets.ids), ones, 1.0).getFloat();
                }
                for (long id : targets.ids) {
                    unigramNll -= unigram.logProb(id);
                }
                tokens += targets.ids.length;
            }
            if (tokens == 0) {
                throw new IllegalArgumentException("the held-out sequences hold no token to score");
            }
            return new PerplexityReport(Math.exp(nll / tokens), nll / tokens, Math.exp(unigramNll / tokens), tokens,
                    heldOut.stream().mapToInt(b -> b.ids().length).sum());
        });
    }

    /**
     * The scored tokens of a batch and the flat positions {@code b * T + t - 1} whose logits
     * predict them.
     */
    private record Targets(long[] ids, long[] predictedAt) {}

    private Targets targets(TrainBatch batch) {
        List<long[]> found = new ArrayList<>();
        for (int b = 0; b < batch.ids().length; b++) {
            long[] row = batch.ids()[b];
            int first = Math.max(1, batch.promptLengths() == null ? 0 : batch.promptLengths()[b]);
            for (int t = first; t < row.length; t++) {
                if (batch.attention()[b][t] != 0 && !specials.isSpecial(row[t])) {
                    found.add(new long[] {row[t], (long) b * row.length + t - 1});
                }
            }
        }
        return new Targets(found.stream().mapToLong(p -> p[0]).toArray(), found.stream().mapToLong(p -> p[1]).toArray());
    }
}

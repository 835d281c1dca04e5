package dev.unmask.diffusion.eval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.unmask.diffusion.model.GradMode;
import dev.unmask.diffusion.model.MaskedLanguageModel;
import dev.unmask.diffusion.model.MaskedLmLoss;
import dev.unmask.diffusion.noise.ContinuousTime;
import dev.unmask.diffusion.noise.DiscreteLevels;
import dev.unmask.diffusion.noise.MaskedBatch;
import dev.unmask.diffusion.noise.Masker;
import dev.unmask.diffusion.tokenizer.SpecialTokens;
import dev.unmask.diffusion.train.TrainBatch;
import dev.unmask.diffusion.util.Rng;
import java.util.Arrays;
import java.util.List;

/**
 * Held-out evaluation: masked-token accuracy at ratios 0.15 and 0.5, and an ELBO bound on
 * perplexity estimated by Monte Carlo over t ~ U(eps, 1) with 1/t weighting (seeded), each beside
 * a unigram baseline fitted on training-token frequencies.
 */
public final class Evaluator {
    private static final double ELBO_EPS = 1e-3;

    private final MaskedLanguageModel model;
    private final SpecialTokens specials;
    private final Unigram unigram;

    /**
     * @param unigramCounts training-split frequency of every token id, over the tokenizer's
     *     vocabulary (ids the model has beyond it count 0)
     */
    public Evaluator(MaskedLanguageModel model, SpecialTokens specials, long[] unigramCounts) {
        this.model = model;
        this.specials = specials;
        this.unigram = Unigram.overVocabulary(model.config().vocabSize(), unigramCounts, specials);
    }

    public EvalReport evaluate(List<TrainBatch> heldOut, int elboSamples, long seed) {
        if (heldOut.isEmpty()) {
            throw new IllegalArgumentException("no held-out sequences to evaluate");
        }
        return GradMode.disabled(() -> {
            double[] acc15 = accuracy(heldOut, 0.15, seed);
            double[] acc50 = accuracy(heldOut, 0.5, seed + 1);
            double[] elbo = elbo(heldOut, elboSamples, seed + 2);
            return new EvalReport(acc15[0], acc50[0], acc15[1], acc50[1], Math.exp(elbo[0]), Math.exp(elbo[1]),
                    (long) elbo[2], heldOut.stream().mapToInt(b -> b.ids().length).sum(), elboSamples, seed);
        });
    }

    /** {model accuracy, unigram accuracy} at masked positions, masking each token with probability ratio. */
    private double[] accuracy(List<TrainBatch> batches, double ratio, long seed) {
        Masker masker = new Masker(new DiscreteLevels(1), specials, 0, false);
        Rng rng = new Rng(seed);
        long mostFrequent = unigram.mostFrequent();
        long correct = 0;
        long unigramCorrect = 0;
        long total = 0;
        for (TrainBatch batch : batches) {
            double[] ratios = new double[batch.ids().length];
            Arrays.fill(ratios, ratio);
            MaskedBatch masked = masker.mask(batch.ids(), batch.attention(), batch.promptLengths(), ratios, rng);
            long[] predicted;
            try (NDManager scope = model.manager().newSubManager()) {
                predicted = maskedLogits(scope, masked).argMax(-1).toType(DataType.INT64, false).toLongArray();
            }
            for (int i = 0; i < predicted.length; i++) {
                correct += predicted[i] == masked.targets()[i] ? 1 : 0;
                unigramCorrect += masked.targets()[i] == mostFrequent ? 1 : 0;
            }
            total += predicted.length;
        }
        return new double[] {correct / (double) total, unigramCorrect / (double) total};
    }

    /** {model NELBO per token, unigram NLL per token, tokens}. */
    private double[] elbo(List<TrainBatch> batches, int samples, long seed) {
        if (samples < 1) {
            throw new IllegalArgumentException("elbo samples must be >= 1, got " + samples);
        }
        Masker masker = new Masker(new ContinuousTime(ELBO_EPS), specials, 0, false);
        Rng rng = new Rng(seed);
        double weightedLoss = 0;
        double unigramNll = 0;
        long tokens = 0;
        for (TrainBatch batch : batches) {
            for (int s = 0; s < samples; s++) {
                // stratified t: one draw in each of `samples` equal slices of (eps, 1]
                double[] ratios = new double[batch.ids().length];
                for (int b = 0; b < ratios.length; b++) {
                    double u = (s + rng.nextDouble()) / samples;
                    ratios[b] = ELBO_EPS + (1 - ELBO_EPS) * u;
                }
                MaskedBatch masked = masker.mask(batch.ids(), batch.attention(), batch.promptLengths(), ratios, rng);
                try (NDManager scope = model.manager().newSubManager()) {
                    NDArray logits = maskedLogits(scope, masked);
                    NDArray sum = MaskedLmLoss.weightedCrossEntropy(logits, scope.create(masked.targets()),
                            scope.create(masked.weights()), 1.0); // sum of CE / t
                    weightedLoss += sum.getFloat();
                }
                if (s == 0) {
                    tokens += masked.tokens();
                    unigramNll += unigramNll(batch);
                }
            }
        }
        return new double[] {weightedLoss / samples / tokens, unigramNll / tokens, tokens};
    }

    /** (M, V) logits at the masked positions, through the inference pass (no graph; the last layer at those rows only). */
    private NDArray maskedLogits(NDManager scope, MaskedBatch masked) {
        return model.predictAt(scope, masked.inputIds(), masked.attention(), masked.maskedPositions());
    }

    /** Negative log-likelihood of the maskable tokens of a batch under the unigram model. */
    private double unigramNll(TrainBatch batch) {
        double nll = 0;
        for (int b = 0; b < batch.ids().length; b++) {
            int start = batch.promptLengths() == null ? 0 : batch.promptLengths()[b];
            for (int i = start; i < batch.ids()[b].length; i++) {
                long id = batch.ids()[b][i];
                if (batch.attention()[b][i] != 0 && !specials.isSpecial(id)) {
                    nll -= unigram.logProb(id);
                }
            }
        }
        return nll;
    }
}

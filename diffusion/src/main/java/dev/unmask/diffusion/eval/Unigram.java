package dev.unmask.diffusion.eval;

import dev.unmask.diffusion.tokenizer.SpecialTokens;

/**
 * The baseline every held-out evaluation reports beside the model: add-one smoothed frequencies
 * of the training split's tokens, over the non-special tokens of the vocabulary.
 */
final class Unigram {
    private final long[] counts;
    private final SpecialTokens specials;
    private final double[] log;

    /**
     * The baseline over a model's vocabulary of {@code vocab} ids from the tokenizer's counts (ids
     * the model has beyond the tokenizer's count 0).
     *
     * @param unigramCounts training-split frequency of every token id of the tokenizer
     */
    static Unigram overVocabulary(int vocab, long[] unigramCounts, SpecialTokens specials) {
        if (unigramCounts.length > vocab) {
            throw new IllegalArgumentException("unigram counts cover " + unigramCounts.length
                    + " tokens, more than the model's vocabulary " + vocab);
        }
        return new Unigram(java.util.Arrays.copyOf(unigramCounts, vocab), specials);
    }

    /** @param counts training-split frequency of every token id, over the model's vocabulary */
    Unigram(long[] counts, SpecialTokens specials) {
        this.counts = counts.clone();
        this.specials = specials;
        double total = 0;
        for (int v = 0; v < counts.length; v++) {
            if (!specials.isSpecial(v)) {
                total += counts[v] + 1;
            }
        }
        this.log = new double[counts.length];
        for (int v = 0; v < log.length; v++) {
            log[v] = specials.isSpecial(v) ? Double.NEGATIVE_INFINITY : Math.log((counts[v] + 1) / total);
        }
    }

    /** log p(id); -inf for a special token. */
    double logProb(long id) {
        return log[(int) id];
    }

    /** The most frequent non-special token; -1 when every token is special. */
    long mostFrequent() {
        long best = -1;
        for (int v = 0; v < counts.length; v++) {
            if (!specials.isSpecial(v) && (best < 0 || counts[v] > counts[(int) best])) {
                best = v;
            }
        }
        return best;
    }
}

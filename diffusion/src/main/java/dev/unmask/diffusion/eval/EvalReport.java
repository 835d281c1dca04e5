package dev.unmask.diffusion.eval;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Held-out quality of a masked LM used as a diffusion model, beside a unigram baseline that
 * always predicts from token frequencies of the training split.
 *
 * @param elboPerplexity exp of the ELBO bound on negative log-likelihood per token (Monte Carlo over t)
 * @param unigramPerplexity perplexity of add-one smoothed training frequencies on the same tokens
 */
public record EvalReport(
        @JsonProperty("masked_accuracy_0.15") double maskedAccuracy15,
        @JsonProperty("masked_accuracy_0.5") double maskedAccuracy50,
        @JsonProperty("unigram_accuracy_0.15") double unigramAccuracy15,
        @JsonProperty("unigram_accuracy_0.5") double unigramAccuracy50,
        @JsonProperty("elbo_perplexity") double elboPerplexity,
        @JsonProperty("unigram_perplexity") double unigramPerplexity,
        @JsonProperty("tokens") long tokens,
        @JsonProperty("sequences") int sequences,
        @JsonProperty("elbo_samples") int elboSamples,
        @JsonProperty("seed") long seed) implements HeldOutEval {}

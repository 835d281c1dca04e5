package dev.unmask.diffusion.eval;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Held-out quality of an autoregressive model: exact perplexity, {@code exp} of the mean
 * next-token negative log-likelihood, over the tokens a masked LM's ELBO scores (real tokens
 * after the prompt, special tokens excluded; each predicted from all the tokens before it in its
 * row), beside the unigram baseline of {@link EvalReport} on the same tokens.
 *
 * @param nllPerToken mean negative log-likelihood per token, in nats
 * @param unigramPerplexity perplexity of add-one smoothed training frequencies on the same tokens
 */
public record PerplexityReport(
        @JsonProperty("perplexity") double perplexity,
        @JsonProperty("nll_per_token") double nllPerToken,
        @JsonProperty("unigram_perplexity") double unigramPerplexity,
        @JsonProperty("tokens") long tokens,
        @JsonProperty("sequences") int sequences) implements HeldOutEval {}

package dev.unmask.diffusion.sample;

/**
 * One sequence to continue autoregressively.
 *
 * @param prompt (P) the prompt's token ids, at least one
 * @param maxTokens the most tokens to generate (fewer when end-of-text comes first)
 * @param seed this row's RNG seed: a row's text depends only on its seed, not on its batch
 */
public record PromptRow(long[] prompt, int maxTokens, long seed) {
    public PromptRow {
        if (prompt.length == 0) {
            throw new IllegalArgumentException("a prompt needs at least one token (the start token of an empty one)");
        }
        if (maxTokens < 1) {
            throw new IllegalArgumentException("max_tokens must be at least 1, got " + maxTokens);
        }
        prompt = prompt.clone();
    }

    /** Prompt and generated tokens at most. */
    public int maxLength() {
        return prompt.length + maxTokens;
    }
}

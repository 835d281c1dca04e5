package dev.unmask.diffusion.sample;

/**
 * One canvas, denoised.
 *
 * @param ids the final canvas, all positions
 * @param generated the generated tokens in order, end-of-text and padding at the tail trimmed
 * @param steps the denoising steps this canvas took
 */
public record GenerationResult(long[] ids, long[] generated, int steps) {}

package dev.unmask.diffusion.sample;

/**
 * The state of one canvas after a denoising step, for streaming.
 *
 * @param row the canvas's index in its batch
 * @param step 1-based step number
 * @param ids the whole canvas now (mask ids where still masked)
 * @param changed positions whose token changed in this step
 * @param masked how many positions are still masked
 */
public record Frame(int row, int step, long[] ids, int[] changed, int masked) {}

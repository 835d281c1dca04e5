package dev.unmask.diffusion.run;

/**
 * One generation.
 *
 * @param prompt the prompt text
 * @param text the generated continuation (or the filled template), special tokens removed
 * @param tokens generated tokens kept after trimming
 * @param steps denoising steps taken
 * @param seed the seed that reproduces it
 */
public record GeneratedText(String prompt, String text, int tokens, int steps, long seed) {}

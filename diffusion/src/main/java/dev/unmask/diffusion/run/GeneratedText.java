package dev.unmask.diffusion.run;

/**
 * One generation.
 *
 * @param prompt the prompt text
 * @param text what the generation adds to the prompt, as the tokenizer's decoder writes it after
 *     the prompt's tokens (with the space it puts before a new word: " the country", none before a
 *     {@code ##} piece); for a template, the filled template. Special tokens removed.
 * @param fullText the prompt's and the generated tokens decoded together: the text to show
 * @param tokens generated tokens kept after trimming
 * @param steps denoising steps taken
 * @param seed the seed that reproduces it
 */
public record GeneratedText(String prompt, String text, String fullText, int tokens, int steps, long seed) {}

package dev.unmask.diffusion.tokenizer;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * GPT-2's pre-tokenization, as the ByteLevel pre-tokenizer with {@code use_regex} runs it: English
 * contractions, letter runs, digit runs and other-symbol runs (each with at most one leading space),
 * and whitespace runs. Every character of the text lands in exactly one piece.
 */
public final class PreTokenizer {
    /** The GPT-2 split pattern. */
    public static final Pattern GPT2 = Pattern.compile(
            "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+",
            Pattern.UNICODE_CHARACTER_CLASS);

    private PreTokenizer() {}

    /** The pieces of {@code text}, in order; their concatenation is {@code text}. */
    public static List<String> split(CharSequence text) {
        List<String> pieces = new ArrayList<>();
        Matcher m = GPT2.matcher(text);
        while (m.find()) {
            pieces.add(m.group());
        }
        return pieces;
    }

    /** Adds each piece of {@code text} to {@code counts}; returns how many pieces there were. */
    public static int countInto(CharSequence text, WordCounts counts) {
        Matcher m = GPT2.matcher(text);
        int n = 0;
        while (m.find()) {
            counts.add(m.group());
            n++;
        }
        return n;
    }
}

package dev.unmask.diffusion.tokenizer;

import java.util.HashMap;
import java.util.Map;

/** How often each pre-tokenized word occurs in a corpus: the input of the BPE merge loop. */
public final class WordCounts {
    private final Map<String, long[]> counts = new HashMap<>();
    private long total;
    private long texts;

    /** Counts one occurrence of {@code word}. */
    public void add(String word) {
        add(word, 1);
    }

    /** Counts {@code times} occurrences of {@code word}. */
    public void add(String word, long times) {
        if (times <= 0) {
            throw new IllegalArgumentException("a word count must be positive, got " + times + " for '" + word + "'");
        }
        counts.computeIfAbsent(word, w -> new long[1])[0] += times;
        total += times;
    }

    /** Pre-tokenizes one text (a line, a document) and counts its words. */
    public void addText(CharSequence text) {
        PreTokenizer.countInto(text, this);
        texts++;
    }

    /** How often {@code word} was counted. */
    public long count(String word) {
        long[] c = counts.get(word);
        return c == null ? 0 : c[0];
    }

    /** Occurrences of all words together. */
    public long total() {
        return total;
    }

    /** Distinct words. */
    public int unique() {
        return counts.size();
    }

    /** Texts given to {@link #addText}. */
    public long texts() {
        return texts;
    }

    /** Each distinct word with its count, in no particular order. */
    public void forEach(WordConsumer consumer) {
        counts.forEach((word, c) -> consumer.accept(word, c[0]));
    }

    /** A word and its count. */
    @FunctionalInterface
    public interface WordConsumer {
        void accept(String word, long count);
    }
}

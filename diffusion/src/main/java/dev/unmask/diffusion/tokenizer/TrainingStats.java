package dev.unmask.diffusion.tokenizer;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a training run saw and did: texts (lines) read, words (pre-tokenized pieces) counted,
 * distinct words, merges learned, the resulting vocabulary size, and the seconds spent counting
 * and merging.
 */
public record TrainingStats(long texts, long words, int uniqueWords, int merges, int vocabSize,
        double countSeconds, double mergeSeconds) {

    /** Counting and merging together. */
    public double seconds() {
        return countSeconds + mergeSeconds;
    }

    /** The stats as an ordered map, e.g. for {@code Json.compact}. */
    public Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("texts", texts);
        map.put("words", words);
        map.put("unique_words", uniqueWords);
        map.put("merges", merges);
        map.put("vocab_size", vocabSize);
        map.put("count_seconds", Math.round(countSeconds * 1000) / 1000.0);
        map.put("merge_seconds", Math.round(mergeSeconds * 1000) / 1000.0);
        map.put("seconds", Math.round(seconds() * 1000) / 1000.0);
        return map;
    }

    @Override
    public String toString() {
        return String.format("%d texts, %d words (%d unique), %d merges, vocab %d, %.2f s (count %.2f s, merge %.2f s)",
                texts, words, uniqueWords, merges, vocabSize, seconds(), countSeconds, mergeSeconds);
    }
}

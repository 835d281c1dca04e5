package dev.unmask.diffusion.compare;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Surface statistics of generated token ids, pooled over samples (each sample's continuation
 * only, never its prompt).
 *
 * @param distinct2 distinct bigrams over all bigrams (bigrams never cross samples); 1 = no bigram
 *     repeats, near 0 = the same few pairs over and over
 * @param repeatRate the fraction of tokens equal to the token just before them ("the the the")
 * @param tokens tokens counted
 */
public record SampleStats(double distinct2, double repeatRate, long tokens) {

    public static SampleStats of(List<long[]> samples) {
        Set<Bigram> distinct = new HashSet<>();
        long bigrams = 0;
        long repeats = 0;
        long tokens = 0;
        for (long[] ids : samples) {
            tokens += ids.length;
            for (int i = 1; i < ids.length; i++) {
                distinct.add(new Bigram(ids[i - 1], ids[i]));
                bigrams++;
                if (ids[i] == ids[i - 1]) {
                    repeats++;
                }
            }
        }
        return new SampleStats(bigrams == 0 ? 0 : distinct.size() / (double) bigrams,
                tokens == 0 ? 0 : repeats / (double) tokens, tokens);
    }

    private record Bigram(long first, long second) {}
}

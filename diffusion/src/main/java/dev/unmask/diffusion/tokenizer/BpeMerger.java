package dev.unmask.diffusion.tokenizer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;

/**
 * The BPE merge loop over counted words. Each distinct word is a sequence of symbol ids, weighted by
 * its count. Pair counts are kept up to date incrementally: every pair knows the words it occurs in,
 * so a merge touches only those words, and a priority queue with lazy invalidation yields the most
 * frequent pair (entries whose count went stale are re-queued with the current count when they
 * surface). Ties go to the pair with the lower left, then right, symbol id (byte symbols are
 * numbered in code point order, merged ones in merge order), so the result depends on the corpus
 * alone; that is also the order the Hugging Face {@code tokenizers} trainer uses, and on the same
 * words both learn the same merges.
 *
 * <p>A merge rewrites a word left to right without overlaps ({@code a a a} with {@code (a, a)} gives
 * {@code aa a}), which is how the BPE model applies a merge at encoding time. A merge whose result
 * would spell a special token is skipped.
 */
final class BpeMerger {
    private static final Comparator<Entry> ORDER = Comparator
            .comparingLong((Entry e) -> -e.count)
            .thenComparingInt((Entry e) -> e.pair.left)
            .thenComparingInt((Entry e) -> e.pair.right);

    private final BpeTrainerConfig config;
    private final List<String> vocab = new ArrayList<>();
    private final Map<String, Integer> ids = new HashMap<>();
    private final List<TrainedTokenizer.Merge> merges = new ArrayList<>();

    private int[][] symbols = new int[1024][];
    private int[] lengths = new int[1024];
    private long[] counts = new long[1024];
    private int[] stamps = new int[1024];
    private int words;

    private final Map<Long, Pair> pairs = new HashMap<>();
    private final PriorityQueue<Entry> queue = new PriorityQueue<>(ORDER);
    private final Set<Long> forbidden = new HashSet<>();
    private final Set<Long> merged = new HashSet<>();
    private final List<Pair> touched = new ArrayList<>();
    private int stamp = -1;

    BpeMerger(BpeTrainerConfig config) {
        this.config = config;
        for (String special : config.specialTokens()) {
            addSymbol(special);
        }
        for (String symbol : ByteLevelAlphabet.symbols()) {
            addSymbol(symbol);
        }
    }

    /** The vocabulary by id after {@link #run}. */
    List<String> vocab() {
        return vocab;
    }

    /** The merges in rank order after {@link #run}. */
    List<TrainedTokenizer.Merge> merges() {
        return merges;
    }

    /** Learns merges from {@code wordCounts} until the vocabulary is full or no pair is frequent enough. */
    void run(WordCounts wordCounts) {
        int[] byteIds = new int[256];
        for (int b = 0; b < 256; b++) {
            byteIds[b] = ids.get(String.valueOf(ByteLevelAlphabet.charOf(b)));
        }
        wordCounts.forEach((word, count) -> {
            byte[] bytes = word.getBytes(StandardCharsets.UTF_8);
            if (bytes.length < 2) {
                return; // no pair to learn from
            }
            int[] syms = new int[bytes.length];
            for (int i = 0; i < bytes.length; i++) {
                syms[i] = byteIds[bytes[i] & 0xFF];
            }
            addWord(syms, count);
        });
        for (int w = 0; w < words; w++) {
            int[] s = symbols[w];
            for (int i = 0; i + 1 < lengths[w]; i++) {
                change(s[i], s[i + 1], counts[w], w);
            }
        }
        for (Pair p : pairs.values()) {
            queue.add(new Entry(p, p.count));
        }
        touched.clear();
        while (vocab.size() < config.vocabSize()) {
            Entry top = queue.poll();
            if (top == null) {
                break;
            }
            Pair p = top.pair;
            if (top.count != p.count) { // stale: the pair was seen less since (or is gone)
                if (p.count > 0) {
                    queue.add(new Entry(p, p.count));
                }
                continue;
            }
            if (p.count < config.minFrequency()) {
                break;
            }
            long key = key(p.left, p.right);
            if (forbidden.contains(key)) {
                continue;
            }
            String text = p.leftText + p.rightText;
            Integer existing = ids.get(text);
            if (existing != null && existing < config.specialTokens().size()) {
                forbidden.add(key); // would spell a special token
                continue;
            }
            int symbol = existing != null ? existing : addSymbol(text);
            if (merged.add(key)) {
                merges.add(new TrainedTokenizer.Merge(p.leftText, p.rightText));
            }
            apply(p, symbol);
        }
    }

    /** Replaces every occurrence of {@code p} by {@code symbol}, updating the pair counts around it. */
    private void apply(Pair p, int symbol) {
        stamp++;
        touched.clear();
        int[] ws = p.words;
        int n = p.wordCount;
        for (int k = 0; k < n; k++) {
            int w = ws[k];
            if (stamps[w] != stamp) {
                stamps[w] = stamp;
                mergeWord(w, p.left, p.right, symbol);
            }
        }
        for (Pair t : touched) {
            if (t.count > 0 && !forbidden.contains(key(t.left, t.right))) {
                queue.add(new Entry(t, t.count));
            }
        }
    }

    private void mergeWord(int w, int a, int b, int m) {
        int[] s = symbols[w];
        int n = lengths[w];
        long c = counts[w];
        int out = 0;
        int r = 0;
        while (r < n) {
            if (r + 1 < n && s[r] == a && s[r + 1] == b) {
                change(a, b, -c, w);
                if (out > 0) {
                    change(s[out - 1], a, -c, w);
                    change(s[out - 1], m, c, w);
                }
                if (r + 2 < n) {
                    change(b, s[r + 2], -c, w);
                    change(m, s[r + 2], c, w);
                }
                s[out++] = m;
                r += 2;
            } else {
                s[out++] = s[r++];
            }
        }
        lengths[w] = out;
    }

    /** Adds {@code delta} to the count of pair {@code (a, b)}, which word {@code w} gained or lost. */
    private void change(int a, int b, long delta, int w) {
        long key = key(a, b);
        Pair q = pairs.get(key);
        if (q == null) {
            if (delta < 0) {
                throw new IllegalStateException("pair (" + vocab.get(a) + ", " + vocab.get(b) + ") is not counted");
            }
            q = new Pair(a, b, vocab.get(a), vocab.get(b));
            pairs.put(key, q);
        }
        q.count += delta;
        if (delta > 0) {
            q.addWord(w);
            if (q.touchedStamp != stamp) {
                q.touchedStamp = stamp;
                touched.add(q);
            }
        } else if (q.count == 0) {
            pairs.remove(key); // no word holds it; a later occurrence starts a fresh pair
        }
    }

    private void addWord(int[] syms, long count) {
        if (words == symbols.length) {
            int grown = words * 2;
            symbols = Arrays.copyOf(symbols, grown);
            lengths = Arrays.copyOf(lengths, grown);
            counts = Arrays.copyOf(counts, grown);
            stamps = Arrays.copyOf(stamps, grown);
        }
        symbols[words] = syms;
        lengths[words] = syms.length;
        counts[words] = count;
        stamps[words] = -1;
        words++;
    }

    private int addSymbol(String text) {
        int id = vocab.size();
        vocab.add(text);
        ids.put(text, id);
        return id;
    }

    private static long key(int a, int b) {
        return ((long) a << 32) | (b & 0xFFFFFFFFL);
    }

    /** A symbol pair, its count over all words, and the words it has occurred in (some may have lost it). */
    private static final class Pair {
        final int left;
        final int right;
        final String leftText;
        final String rightText;
        long count;
        int[] words = new int[2];
        int wordCount;
        int lastWord = -1;
        int touchedStamp = Integer.MIN_VALUE;

        Pair(int left, int right, String leftText, String rightText) {
            this.left = left;
            this.right = right;
            this.leftText = leftText;
            this.rightText = rightText;
        }

        void addWord(int w) {
            if (w == lastWord) {
                return;
            }
            if (wordCount == words.length) {
                words = Arrays.copyOf(words, wordCount * 2);
            }
            words[wordCount++] = w;
            lastWord = w;
        }
    }

    /** A queued pair with the count it had when queued. */
    private record Entry(Pair pair, long count) {}
}

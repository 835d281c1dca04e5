package dev.unmask.diffusion.tokenizer;

import dev.unmask.corpus.Utf8LineReader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Trains a byte-level BPE tokenizer in the RoBERTa layout: corpus text is split into words by the
 * GPT-2 pattern ({@link PreTokenizer}) and counted ({@link WordCounts}); each word's UTF-8 bytes are
 * its initial symbols; merges are then learned from the counts ({@link BpeMerger}). The vocabulary
 * is the special tokens (ids 0..), the 256 byte symbols, then the merged symbols in merge order.
 *
 * <p>Corpus files are read line by line as strict UTF-8; each line is one text (line terminators
 * are not part of it). Save the result with {@link TrainedTokenizer#save} and load it with
 * {@link TextTokenizer#load}.
 */
public final class BpeTrainer {
    private BpeTrainer() {}

    /** Trains on the lines of the corpus files. */
    public static TrainedTokenizer train(List<Path> corpus, BpeTrainerConfig config) throws IOException {
        if (corpus.isEmpty()) {
            throw new IllegalArgumentException("no corpus files given");
        }
        long start = System.nanoTime();
        WordCounts counts = new WordCounts();
        for (Path file : corpus) {
            Utf8LineReader.forEachLine(file, counts::addText);
        }
        return merge(counts, config, seconds(start));
    }

    /** Trains on in-memory texts (each a line, a paragraph or a document). */
    public static TrainedTokenizer trainOnTexts(Iterable<String> texts, BpeTrainerConfig config) {
        long start = System.nanoTime();
        WordCounts counts = new WordCounts();
        for (String text : texts) {
            counts.addText(text);
        }
        return merge(counts, config, seconds(start));
    }

    /** Trains on words already counted. */
    public static TrainedTokenizer trainOnCounts(WordCounts counts, BpeTrainerConfig config) {
        return merge(counts, config, 0);
    }

    private static TrainedTokenizer merge(WordCounts counts, BpeTrainerConfig config, double countSeconds) {
        long start = System.nanoTime();
        BpeMerger merger = new BpeMerger(config);
        merger.run(counts);
        TrainingStats stats = new TrainingStats(counts.texts(), counts.total(), counts.unique(),
                merger.merges().size(), merger.vocab().size(), countSeconds, seconds(start));
        return new TrainedTokenizer(merger.vocab(), merger.merges(), config, stats);
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }
}

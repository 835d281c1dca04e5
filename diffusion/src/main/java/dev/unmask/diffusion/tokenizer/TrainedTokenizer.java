package dev.unmask.diffusion.tokenizer;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The result of {@link BpeTrainer}: the vocabulary by id (special tokens, byte symbols, merged
 * symbols, all as byte-level strings), the merges in rank order, and how training went.
 */
public record TrainedTokenizer(List<String> vocab, List<Merge> merges, BpeTrainerConfig config, TrainingStats stats) {

    /** One merge rule: the two symbols joined into {@code left + right}. */
    public record Merge(String left, String right) {
        public String merged() {
            return left + right;
        }
    }

    public TrainedTokenizer {
        vocab = List.copyOf(vocab);
        merges = List.copyOf(merges);
    }

    public int vocabSize() {
        return vocab.size();
    }

    /** Writes {@code tokenizer.json} and {@code tokenizer_config.json} into {@code dir} (created if absent). */
    public void save(Path dir) throws IOException {
        TokenizerJsonWriter.write(this, dir);
    }
}

package dev.unmask.diffusion.run;

import ai.djl.Device;
import dev.unmask.diffusion.data.CorpusFormat;
import dev.unmask.diffusion.data.Packing;
import dev.unmask.diffusion.train.TrainConfig;
import java.nio.file.Path;
import java.util.List;

/**
 * Everything a training run needs.
 *
 * @param tokenizerDir a tokenizer to use for a from-scratch run; null = train one on the corpus
 * @param vocabSize the vocabulary of a tokenizer trained for a from-scratch run
 * @param heldOutFraction documents held out for evaluation
 * @param evalSamples Monte Carlo samples of t for the ELBO; 0 = skip evaluation
 */
public record TrainSpec(ModelSource model, List<Path> corpus, CorpusFormat format, Path outputDir,
        Path tokenizerDir, int vocabSize, int seqLen, Packing packing, double heldOutFraction,
        TrainConfig train, Device device, int evalSamples) {

    public TrainSpec {
        if (corpus == null || corpus.isEmpty()) {
            throw new IllegalArgumentException("corpus: at least one file is required");
        }
        if (vocabSize < 262 || vocabSize > 1_000_000) {
            throw new IllegalArgumentException("vocab_size must be in [262, 1000000], got " + vocabSize);
        }
        corpus = List.copyOf(corpus);
    }
}

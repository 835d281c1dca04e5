package dev.unmask.diffusion.run;

import ai.djl.Device;
import dev.unmask.corpus.CorpusFormat;
import dev.unmask.diffusion.data.Packing;
import dev.unmask.diffusion.train.TrainConfig;
import dev.unmask.diffusion.train.RunConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

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

    /**
     * The whole run's configuration as a checkpoint records it: the trainer's, the data's (each
     * corpus file by name and size, so the same files mounted elsewhere are the same corpus), the
     * model it starts from, the tokenizer a from-scratch run trains, and the evaluation.
     */
    public RunConfig runConfig() {
        List<Map<String, Object>> files = new ArrayList<>();
        for (Path file : corpus) {
            Map<String, Object> f = new LinkedHashMap<>();
            f.put("file", file.getFileName().toString());
            try {
                f.put("bytes", Files.size(file));
            } catch (IOException e) {
                throw new UncheckedIOException("corpus: cannot read " + file, e);
            }
            files.add(f);
        }
        RunConfig config = RunConfig.of(train)
                .with("model", model.fromScratch() ? model.toString()
                        : model.directory().toAbsolutePath().normalize().toString())
                .with("corpus", files)
                .with("format", format.cliName())
                .with("seq_len", seqLen)
                .with("packing", packing.name().toLowerCase(Locale.ROOT))
                .with("held_out", heldOutFraction)
                .with("eval_samples", evalSamples);
        if (model.fromScratch()) {
            config = tokenizerDir == null ? config.with("vocab_size", vocabSize)
                    : config.with("tokenizer", tokenizerDir.toAbsolutePath().normalize().toString());
        }
        return config;
    }
}

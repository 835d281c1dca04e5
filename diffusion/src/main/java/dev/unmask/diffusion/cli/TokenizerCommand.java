package dev.unmask.diffusion.cli;

import dev.unmask.diffusion.tokenizer.BpeTrainer;
import dev.unmask.diffusion.tokenizer.BpeTrainerConfig;
import dev.unmask.diffusion.tokenizer.TrainedTokenizer;
import dev.unmask.diffusion.util.Json;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ./unmask tokenizer train CORPUS... --out DIR}: a byte-level BPE tokenizer. */
@Command(name = "tokenizer", mixinStandardHelpOptions = true, description = "Tokenizer tools.",
        subcommands = {TokenizerCommand.Train.class})
final class TokenizerCommand implements Runnable {
    @Override
    public void run() {
        new picocli.CommandLine(this).usage(System.out);
    }

    @Command(name = "train", mixinStandardHelpOptions = true,
            description = "Train a byte-level BPE (RoBERTa layout, <s> <pad> </s> <unk> <mask> = 0-4) on plain-text lines.")
    static final class Train implements Callable<Integer> {
        @Parameters(paramLabel = "CORPUS", arity = "1..*") List<Path> corpus;
        @Option(names = "--out", required = true) Path out;
        @Option(names = "--vocab-size", defaultValue = "8000") int vocabSize;
        @Option(names = "--min-frequency", defaultValue = "2") int minFrequency;
        @Option(names = "--model-max-length", defaultValue = "512") int modelMaxLength;

        @Override
        public Integer call() throws Exception {
            TrainedTokenizer tokenizer = BpeTrainer.train(corpus, BpeTrainerConfig.of(vocabSize)
                    .withMinFrequency(minFrequency).withModelMaxLength(modelMaxLength));
            tokenizer.save(out);
            var summary = new java.util.LinkedHashMap<String, Object>(tokenizer.stats().toMap());
            summary.put("out", out.toString());
            System.out.println(Json.compact(summary));
            return 0;
        }
    }
}

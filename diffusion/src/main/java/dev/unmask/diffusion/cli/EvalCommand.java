package dev.unmask.diffusion.cli;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.unmask.diffusion.checkpoint.Gpt2CheckpointReader;
import dev.unmask.diffusion.checkpoint.HfCheckpointReader;
import dev.unmask.corpus.CorpusFormat;
import dev.unmask.diffusion.data.DataConfig;
import dev.unmask.diffusion.data.Packing;
import dev.unmask.diffusion.data.TokenizedCorpus;
import dev.unmask.diffusion.eval.EvalReport;
import dev.unmask.diffusion.eval.Evaluator;
import dev.unmask.diffusion.eval.PerplexityEvaluator;
import dev.unmask.diffusion.eval.PerplexityReport;
import dev.unmask.diffusion.model.Devices;
import dev.unmask.diffusion.model.Gpt2Model;
import dev.unmask.diffusion.model.ModelFamily;
import dev.unmask.diffusion.model.MaskedLanguageModel;
import dev.unmask.diffusion.run.CorpusBatches;
import dev.unmask.diffusion.tokenizer.TextTokenizer;
import dev.unmask.diffusion.util.Json;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code ./unmask eval MODEL CORPUS}: held-out quality. The corpus is split as training
 * splits it (same --seq-len, --held-out and --seed give the same held-out documents); the unigram
 * baseline is fitted on the rest. A GPT-2 folder reports its exact perplexity instead.
 */
@Command(name = "eval", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Masked accuracy at 0.15 and 0.5 and an ELBO perplexity bound (a GPT-2 folder: exact "
                + "perplexity), beside a unigram baseline.")
final class EvalCommand implements Callable<Integer> {
    @ParentCommand UnmaskCli cli;
    @Parameters(index = "0", paramLabel = "MODEL", description = "an HF folder or a Hub id org/name[@revision]") String model;
    @Parameters(index = "1", paramLabel = "CORPUS") Path corpus;
    @Option(names = "--format", defaultValue = "auto") String format;
    @Option(names = "--seq-len", defaultValue = "128") int seqLen;
    @Option(names = "--packing", defaultValue = "pack") String packing;
    @Option(names = "--held-out", defaultValue = "0.05") double heldOut;
    @Option(names = "--samples", defaultValue = "4", description = "Monte Carlo samples of t") int samples;
    @Option(names = "--batch-size", defaultValue = "16") int batchSize;
    @Option(names = "--seed", defaultValue = "0") long seed;
    @Option(names = "--device", defaultValue = "auto") String device;

    @Override
    public Integer call() throws Exception {
        var dev = Devices.parse(device);
        Path modelDir = cli.modelFolder(model);
        Packing pack = "pad".equals(packing) ? Packing.PAD : Packing.PACK;
        if (HfCheckpointReader.family(modelDir) == ModelFamily.CAUSAL_LM) {
            System.out.println(Json.compact(perplexity(modelDir, dev, pack)));
            return 0;
        }
        try (TextTokenizer tokenizer = TextTokenizer.load(modelDir);
                NDManager manager = NDManager.newBaseManager(dev);
                MaskedLanguageModel model = HfCheckpointReader.load(modelDir, manager, dev, DataType.FLOAT32)) {
            TokenizedCorpus data = TokenizedCorpus.build(List.of(corpus), CorpusFormat.fromName(format), tokenizer,
                    new DataConfig(seqLen, pack, heldOut, seed, 1));
            EvalReport report = new Evaluator(model, tokenizer.specials(), data.tokenFrequencies())
                    .evaluate(CorpusBatches.inOrder(data.heldOut(), batchSize), samples, seed);
            System.out.println(Json.compact(report));
        }
        return 0;
    }

    /** GPT-2's exact perplexity on the same held-out split. */
    private PerplexityReport perplexity(Path modelDir, Device dev, Packing pack) throws Exception {
        try (TextTokenizer tokenizer = TextTokenizer.load(modelDir);
                NDManager manager = NDManager.newBaseManager(dev);
                Gpt2Model model = Gpt2CheckpointReader.load(modelDir, manager, dev, DataType.FLOAT32)) {
            TokenizedCorpus data = TokenizedCorpus.build(List.of(corpus), CorpusFormat.fromName(format), tokenizer,
                    new DataConfig(seqLen, pack, heldOut, seed, 1));
            return new PerplexityEvaluator(model, tokenizer.specials(), data.tokenFrequencies())
                    .evaluate(CorpusBatches.inOrder(data.heldOut(), batchSize));
        }
    }
}

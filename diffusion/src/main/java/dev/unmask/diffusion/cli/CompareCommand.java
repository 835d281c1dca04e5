package dev.unmask.diffusion.cli;

import dev.unmask.diffusion.compare.CompareSpec;
import dev.unmask.diffusion.compare.Comparison;
import dev.unmask.diffusion.compare.ComparisonReport;
import dev.unmask.diffusion.model.Devices;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./unmask compare}: a diffusion encoder against a GPT-2 of about its size, trained on the
 * same data for the same budget; one JSON line on stdout, a report folder in {@code --out}.
 */
@Command(name = "compare", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train a diffusion model (preset SIZE) and a GPT-2 (preset gpt2-SIZE) one after the other on the "
                + "same tokenizer, documents and batch order, each for --minutes of wall clock (linear warm-up, then "
                + "a constant learning rate); then held-out perplexity (GPT-2 exact, diffusion's ELBO bound, same "
                + "tokens), generation latency and tokens/s (a 16-token prompt from held-out text, 240 new tokens, "
                + "batch 1 and 8; diffusion at 10 and 240/4 steps; GPT-2 with its KV cache), and --samples samples "
                + "of each scored by the GPT-2 (generative perplexity), with distinct-2 and repeated-token rates.",
            "Prints one JSON line; writes report.json, loss.svg, samples.txt and summary.md to --out."})
final class CompareCommand implements Callable<Integer> {
    @Option(names = "--corpus", required = true, split = ",", description = "corpus file(s)") List<Path> corpus;
    @Option(names = "--size", defaultValue = "tiny", description = "tiny, small or base (default: ${DEFAULT-VALUE})")
    String size;
    @Option(names = "--minutes", required = true, description = "each model's training budget, wall clock (fractions allowed)")
    double minutes;
    @Option(names = "--out", defaultValue = "compare-out", description = "the report folder; the models go in it "
            + "too (default: ${DEFAULT-VALUE})") Path out;
    @Option(names = "--device", defaultValue = "auto", description = "auto, cpu, gpu, gpu:N (default: ${DEFAULT-VALUE})")
    String device;
    @Option(names = "--vocab-size", defaultValue = "4000", description = "the shared BPE's vocabulary (default: ${DEFAULT-VALUE})")
    int vocabSize;
    @Option(names = "--seq-len", defaultValue = "128", description = "training sequence length (default: ${DEFAULT-VALUE})")
    int seqLen;
    @Option(names = "--batch-size", defaultValue = "16", description = "training batch (default: ${DEFAULT-VALUE})")
    int batchSize;
    @Option(names = "--learning-rate", defaultValue = "1e-3", description = "peak learning rate, both models (default: ${DEFAULT-VALUE})")
    double learningRate;
    @Option(names = "--warmup-steps", defaultValue = "50", description = "linear warm-up steps, then constant (default: ${DEFAULT-VALUE})")
    int warmupSteps;
    @Option(names = "--seed", defaultValue = "0", description = "split, initialisation, batch order, noise, sampling (default: ${DEFAULT-VALUE})")
    long seed;
    @Option(names = "--held-out", defaultValue = "0.05", description = "fraction of documents held out (default: ${DEFAULT-VALUE})")
    double heldOut;
    @Option(names = "--eval-samples", defaultValue = "4", description = "Monte Carlo samples of t for the ELBO (default: ${DEFAULT-VALUE})")
    int evalSamples;
    @Option(names = "--prompt-tokens", defaultValue = "16", description = "prompt length on the canvas: the start token "
            + "and N-1 held-out tokens (default: ${DEFAULT-VALUE})") int promptTokens;
    @Option(names = "--new-tokens", defaultValue = "240", description = "tokens written per prompt (default: ${DEFAULT-VALUE})")
    int newTokens;
    @Option(names = "--samples", defaultValue = "32", description = "samples of each model (default: ${DEFAULT-VALUE})")
    int samples;
    @Option(names = "--latency-rounds", defaultValue = "3", description = "timed calls per speed shape after a warm-up "
            + "call (default: ${DEFAULT-VALUE})") int latencyRounds;

    @Override
    public Integer call() throws Exception {
        CompareSpec spec = new CompareSpec(corpus, size, minutes, out, Devices.parse(device), vocabSize, seqLen,
                batchSize, learningRate, warmupSteps, seed, heldOut, evalSamples, promptTokens, newTokens, samples,
                latencyRounds);
        Comparison.Outcome outcome = new Comparison(spec, System.err::println).run();
        System.out.println(ComparisonReport.write(outcome, out));
        System.err.println("report: " + out.resolve(ComparisonReport.SUMMARY));
        return 0;
    }
}

package dev.unmask.diffusion.cli;

import dev.unmask.diffusion.data.CorpusFormat;
import dev.unmask.diffusion.data.Packing;
import dev.unmask.diffusion.model.Devices;
import dev.unmask.diffusion.noise.ContinuousTime;
import dev.unmask.diffusion.noise.DiscreteLevels;
import dev.unmask.diffusion.noise.NoiseSchedule;
import dev.unmask.diffusion.run.ModelSource;
import dev.unmask.diffusion.run.Resume;
import dev.unmask.diffusion.run.TrainRunResult;
import dev.unmask.diffusion.run.TrainSpec;
import dev.unmask.diffusion.run.TrainingRun;
import dev.unmask.diffusion.train.LrSchedule;
import dev.unmask.diffusion.train.Precision;
import dev.unmask.diffusion.train.TrainConfig;
import dev.unmask.diffusion.train.TrainingProgress;
import dev.unmask.diffusion.util.Json;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code ./unmask train}: fine-tune a checkpoint or pretrain a preset with the diffusion objective. */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Train a masked LM as a text diffusion model; resumes from the newest checkpoint in --out.")
final class TrainCommand implements Callable<Integer> {
    @ParentCommand UnmaskCli cli;

    @Option(names = "--model", required = true,
            description = "preset:tiny|small|base or preset:gpt2-tiny|gpt2-small|gpt2-base (from scratch), an HF "
                    + "folder, or a Hub id org/name[@revision]; GPT-2 trains by next-token prediction")
    String model;

    @Option(names = "--corpus", required = true, split = ",", description = "corpus file(s)")
    List<Path> corpus;

    @Option(names = "--format", defaultValue = "auto", description = "auto, text, text-blocks, jsonl, prompt-completion (default: ${DEFAULT-VALUE})")
    String format;

    @Option(names = "--out", required = true, description = "output folder: the model, checkpoints, eval.json")
    Path out;

    @Option(names = "--tokenizer", description = "tokenizer folder for a from-scratch run (default: train one)")
    Path tokenizer;

    @Option(names = "--vocab-size", defaultValue = "8000", description = "BPE vocabulary for a from-scratch run (default: ${DEFAULT-VALUE})")
    int vocabSize;

    @Option(names = "--steps", defaultValue = "1000") int steps;
    @Option(names = "--batch-size", defaultValue = "16") int batchSize;
    @Option(names = "--grad-accumulation", defaultValue = "1") int gradAccumulation;
    @Option(names = "--seq-len", defaultValue = "128") int seqLen;
    @Option(names = "--packing", defaultValue = "pack", description = "pack or pad (default: ${DEFAULT-VALUE})") String packing;
    @Option(names = "--learning-rate", defaultValue = "5e-4") double learningRate;
    @Option(names = "--warmup-steps", defaultValue = "-1", description = "default: 5%% of steps") int warmupSteps;
    @Option(names = "--lr-decay", defaultValue = "linear", description = "linear, cosine, constant") String decay;
    @Option(names = "--weight-decay", defaultValue = "0.01") double weightDecay;
    @Option(names = "--grad-clip", defaultValue = "1.0") double gradClip;
    @Option(names = "--checkpoint-every", defaultValue = "0", description = "steps; 0 = only the final model") int checkpointEvery;
    @Option(names = "--prefix-len", defaultValue = "0", description = "tokens never masked at the start") int prefixLen;
    @Option(names = "--random-prefix", description = "protect a random 0..prefix-len prefix per sequence") boolean randomPrefix;
    @Option(names = "--noise", defaultValue = "discrete", description = "discrete or continuous (default: ${DEFAULT-VALUE})") String noise;
    @Option(names = "--levels", defaultValue = "10", description = "discrete noise levels") int levels;
    @Option(names = "--eps", defaultValue = "1e-3", description = "continuous noise: smallest t") double eps;
    @Option(names = "--held-out", defaultValue = "0.05", description = "fraction of documents held out") double heldOut;
    @Option(names = "--eval-samples", defaultValue = "4", description = "Monte Carlo samples for the ELBO; 0 = no eval") int evalSamples;
    @Option(names = "--seed", defaultValue = "0") long seed;
    @Option(names = "--device", defaultValue = "auto", description = "auto, cpu, gpu, gpu:N") String device;
    @Option(names = "--precision", defaultValue = "fp32",
            description = "fp32, or fp16 (mixed precision with a dynamic loss scale; GPU only) (default: ${DEFAULT-VALUE})")
    String precision;
    @Option(names = "--log-every", defaultValue = "10", description = "print progress every N steps") int logEvery;
    @Option(names = "--json", description = "progress as JSON lines") boolean json;
    @Option(names = "--allow-config-change", description = "resume from --out although --steps, --checkpoint-every "
            + "or --eval-samples differ from the checkpoint's run (any other difference is refused; the default "
            + "warm-up is 5%% of --steps, so pass the checkpoint's --warmup-steps to keep it)")
    boolean allowConfigChange;

    @Override
    public Integer call() throws Exception {
        NoiseSchedule schedule = switch (noise) {
            case "discrete" -> new DiscreteLevels(levels);
            case "continuous" -> new ContinuousTime(eps);
            default -> throw new IllegalArgumentException("--noise " + noise + " is not supported; supported: discrete, continuous");
        };
        int warmup = warmupSteps >= 0 ? warmupSteps : steps / 20;
        TrainConfig config = new TrainConfig(steps, batchSize, gradAccumulation, learningRate, warmup,
                LrSchedule.Decay.fromWire(decay), weightDecay, gradClip, 0.9, 0.999, 1e-8, checkpointEvery,
                prefixLen, randomPrefix, schedule, seed, Precision.parse(precision));
        Packing pack = switch (packing) {
            case "pack" -> Packing.PACK;
            case "pad" -> Packing.PAD;
            default -> throw new IllegalArgumentException("--packing " + packing + " is not supported; supported: pack, pad");
        };
        ModelSource source = model.startsWith(ModelSource.PRESET_PREFIX) ? ModelSource.parse(model)
                : ModelSource.parse(cli.modelFolder(model).toString());
        TrainSpec spec = new TrainSpec(source, corpus, CorpusFormat.fromName(format), out,
                tokenizer, vocabSize, seqLen, pack, heldOut, config, Devices.parse(device), evalSamples);
        Resume resume = allowConfigChange ? Resume.ALLOW_SAFE_CHANGES : Resume.SAME_CONFIG;
        TrainRunResult r = TrainingRun.run(spec, resume, msg -> System.err.println(msg), this::report, () -> false);
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("model", r.training().outputDir().toString());
        summary.put("steps", r.training().steps());
        summary.put("final_loss", r.training().finalLoss());
        summary.put("seconds", r.training().seconds());
        summary.put("tokens_per_second", r.training().tokensPerSecond());
        summary.put("checkpoints", r.training().checkpoints().stream().map(Path::toString).toList());
        summary.put("resumed_from_step", r.resumedFromStep());
        summary.put("eval", r.eval());
        System.out.println(Json.compact(summary));
        return 0;
    }

    private void report(TrainingProgress p) {
        if (p.step() % Math.max(1, logEvery) != 0 && p.step() != p.totalSteps()) {
            return;
        }
        if (json) {
            System.err.println(Json.compact(p));
        } else {
            System.err.printf(Locale.ROOT, "step %6d/%d  loss %.4f  lr %.2e  grad %.2f  %.0f tok/s  eta %s%n",
                    p.step(), p.totalSteps(), p.loss(), p.lr(), p.gradNorm(), p.tokensPerSecond(),
                    duration(p.etaSeconds()));
        }
    }

    static String duration(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format("%dh%02dm", s / 3600, s % 3600 / 60)
                : String.format("%dm%02ds", s / 60, s % 60);
    }
}

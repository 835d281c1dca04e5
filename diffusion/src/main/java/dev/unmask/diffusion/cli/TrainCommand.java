package dev.unmask.diffusion.cli;

import dev.unmask.corpus.CorpusFormat;
import dev.unmask.diffusion.data.Packing;
import dev.unmask.diffusion.model.Devices;
import dev.unmask.diffusion.run.ModelSource;
import dev.unmask.diffusion.run.Resume;
import dev.unmask.diffusion.run.TrainRunResult;
import dev.unmask.diffusion.run.TrainSpec;
import dev.unmask.diffusion.run.TrainingRun;
import dev.unmask.diffusion.train.LrSchedule;
import dev.unmask.diffusion.train.TimeBudget;
import dev.unmask.diffusion.train.TrainConfig;
import dev.unmask.diffusion.train.TrainingProgress;
import dev.unmask.diffusion.util.Json;
import dev.unmask.jobspec.ParamSet;
import dev.unmask.jobspec.ParamValues;
import dev.unmask.jobspec.TrainParams;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code ./unmask train}: fine-tune a checkpoint or pretrain a preset with the diffusion objective. */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Train a masked LM as a text diffusion model; resumes from the newest checkpoint in --out.")
final class TrainCommand implements Callable<Integer>, ParamOptions.Described {
    @ParentCommand UnmaskCli cli;
    @Spec CommandSpec spec;

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

    @Option(names = "--packing", defaultValue = "pack", description = "pack or pad (default: ${DEFAULT-VALUE})") String packing;
    @Option(names = "--random-prefix", description = "protect a random 0..prefix-len prefix per sequence") boolean randomPrefix;
    @Option(names = "--device", defaultValue = "auto", description = "auto, cpu, gpu, gpu:N") String device;
    @Option(names = "--log-every", defaultValue = "10", description = "print progress every N steps") int logEvery;
    @Option(names = "--json", description = "progress as JSON lines") boolean json;
    @Option(names = "--minutes", description = "a wall-clock budget: no step starts after M minutes, then the model is "
            + "saved and evaluated as at the last step; --steps stays the ceiling and --lr-decay must be constant "
            + "(a budget has no known last step to decay to)")
    Double minutes;
    @Option(names = "--allow-config-change", description = "resume from --out although --steps, --checkpoint-every "
            + "or --eval-samples differ from the checkpoint's run (any other difference is refused; the default "
            + "--warmup-steps follows --steps, so pass the checkpoint's --warmup-steps to keep it)")
    boolean allowConfigChange;

    /** The hyperparameters' options (--steps, --batch-size, ...): generated from {@link TrainParams}. */
    @Override
    public ParamSet params() {
        return TrainParams.SET;
    }

    @Override
    public Integer call() throws Exception {
        ParamValues params = ParamOptions.read(spec, TrainParams.SET);
        TrainConfig config = TrainConfig.from(params, randomPrefix);
        TimeBudget budget = budget(minutes, config);
        Packing pack = switch (packing) {
            case "pack" -> Packing.PACK;
            case "pad" -> Packing.PAD;
            default -> throw new IllegalArgumentException("--packing " + packing + " is not supported; supported: pack, pad");
        };
        ModelSource source = model.startsWith(ModelSource.PRESET_PREFIX) ? ModelSource.parse(model)
                : ModelSource.parse(cli.modelFolder(model).toString());
        TrainSpec trainSpec = new TrainSpec(source, corpus, CorpusFormat.fromName(format), out,
                tokenizer, params.getInt(TrainParams.VOCAB_SIZE), params.getInt(TrainParams.SEQ_LEN), pack,
                params.getDouble(TrainParams.HELD_OUT), config, Devices.parse(device), params.getInt(TrainParams.EVAL_SAMPLES));
        Resume resume = allowConfigChange ? Resume.ALLOW_SAFE_CHANGES : Resume.SAME_CONFIG;
        TrainRunResult r = TrainingRun.run(trainSpec, resume, msg -> System.err.println(msg), this::report, () -> false,
                budget);
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

    /** The run's budget from {@code --minutes}; a decaying schedule would decay towards a step never reached. */
    static TimeBudget budget(Double minutes, TrainConfig config) {
        if (minutes == null) {
            return TimeBudget.NONE;
        }
        if (!(minutes > 0) || minutes.isInfinite()) {
            throw new IllegalArgumentException("--minutes must be a positive number, got " + minutes);
        }
        if (config.decay() != LrSchedule.Decay.CONSTANT) {
            throw new IllegalArgumentException("--minutes needs --lr-decay constant: a budgeted run's last step is "
                    + "not known in advance, so " + config.decay().name().toLowerCase(Locale.ROOT)
                    + " decay would stop short of its end");
        }
        return TimeBudget.ofMinutes(minutes);
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

package dev.unmask.diffusion.cli;

import ai.djl.ndarray.types.DataType;
import dev.unmask.diffusion.model.Devices;
import dev.unmask.diffusion.run.GeneratedText;
import dev.unmask.diffusion.run.PromptGenerator;
import dev.unmask.diffusion.sample.FrameListener;
import dev.unmask.diffusion.sample.GenerationConfig;
import dev.unmask.diffusion.util.Json;
import dev.unmask.jobspec.GenerateParams;
import dev.unmask.jobspec.ParamSet;
import dev.unmask.jobspec.ParamValues;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code ./unmask generate MODEL --prompt ...}: text by iterative unmasking, or left to right with a KV cache
 * for a GPT-2 folder (MODEL: a folder or a Hub id) (which reads temperature, top-k and top-p; the strategy options do not apply).
 */
@Command(name = "generate", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Generate text by iterative unmasking. A prompt containing the mask token (e.g. <mask>) is infilled."
                + " A GPT-2 folder writes left to right (temperature, top-k, top-p; no strategy).")
final class GenerateCommand implements Callable<Integer>, ParamOptions.Described {
    @ParentCommand UnmaskCli cli;
    @Spec CommandSpec spec;
    @Parameters(index = "0", paramLabel = "MODEL", description = "an HF folder or a Hub id org/name[@revision]") String model;
    @Option(names = "--prompt", required = true, description = "prompt text; repeat for a batch") List<String> prompts;
    @Option(names = "--show-steps", description = "print the canvas after every step (GPT-2: every token)") boolean showSteps;
    @Option(names = "--device", defaultValue = "auto") String device;
    @Option(names = "--json", description = "one JSON line per generation") boolean json;

    /** The sampling options (--max-tokens, --strategy, --steps, ..., -n): generated from {@link GenerateParams}. */
    @Override
    public ParamSet params() {
        return GenerateParams.SET;
    }

    @Override
    public Integer call() throws Exception {
        ParamValues params = ParamOptions.read(spec, GenerateParams.SET);
        GenerationConfig config = GenerationConfig.from(params);
        int n = params.getInt(GenerateParams.N);
        long seed = params.getLong(GenerateParams.SEED);
        int maxTokens = params.getInt(GenerateParams.MAX_TOKENS);
        if (spec.findOption("--seed").getValue() == null) {
            System.err.println("seed " + seed + " (drawn; pass --seed " + seed + " to write these texts again)");
        }
        List<String> all = new ArrayList<>();
        long[] seeds = new long[prompts.size() * n];
        for (String p : prompts) {
            for (int i = 0; i < n; i++) {
                seeds[all.size()] = seed + i;
                all.add(p);
            }
        }
        Path modelDir = cli.modelFolder(model);
        try (PromptGenerator generator = PromptGenerator.load(modelDir, Devices.parse(device), DataType.FLOAT32)) {
            FrameListener frames = showSteps
                    ? f -> System.err.printf("[%d] step %2d  %s%n", f.row(), f.step(), generator.render(f.ids()))
                    : FrameListener.NONE;
            long start = System.nanoTime();
            List<GeneratedText> texts = generator.generate(all, seeds, maxTokens, config, frames, () -> false);
            double seconds = (System.nanoTime() - start) / 1e9;
            for (GeneratedText t : texts) {
                System.out.println(json ? Json.compact(t) : t.fullText());
            }
            long tokens = texts.stream().mapToLong(GeneratedText::tokens).sum();
            System.err.printf("%d generations, %d tokens in %.2f s (%.1f tokens/s)%n", texts.size(), tokens, seconds,
                    tokens / seconds);
        }
        return 0;
    }
}

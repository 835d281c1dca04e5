package dev.unmask.diffusion.run;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.unmask.diffusion.checkpoint.HfCheckpointReader;
import dev.unmask.diffusion.model.GradMode;
import dev.unmask.diffusion.model.MaskedLanguageModel;
import dev.unmask.diffusion.sample.CanvasRow;
import dev.unmask.diffusion.sample.FrameListener;
import dev.unmask.diffusion.sample.GenerationConfig;
import dev.unmask.diffusion.sample.GenerationResult;
import dev.unmask.diffusion.sample.Generator;
import dev.unmask.diffusion.sample.ModelDenoiser;
import dev.unmask.diffusion.tokenizer.SpecialTokens;
import dev.unmask.diffusion.tokenizer.TextTokenizer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * Text in, text out: a checkpoint and its tokenizer behind the {@link Generator}. Prompts become
 * canvases (start token + prompt + masks); a prompt holding the tokenizer's mask token is a
 * template to infill instead. All prompts of a call share one canvas tensor per step.
 */
public final class TextGenerator implements PromptGenerator {
    /** What a masked position looks like in {@link #render}. */
    public static final String MASK_GLYPH = "\u2591";

    private final NDManager manager;
    private final MaskedLanguageModel model;
    private final TextTokenizer tokenizer;
    private final Generator generator;
    private final TextAssembly assembly;

    private TextGenerator(NDManager manager, MaskedLanguageModel model, TextTokenizer tokenizer) {
        this.manager = manager;
        this.model = model;
        this.tokenizer = tokenizer;
        this.generator = new Generator(new ModelDenoiser(model), tokenizer.specials());
        this.assembly = new TextAssembly(tokenizer, MASK_GLYPH);
    }

    /** A checkpoint with its masked-LM head; a headless encoder is refused, naming the head it lacks. */
    public static TextGenerator load(Path modelDir, Device device, DataType dataType) throws IOException {
        return Generators.open(modelDir, device, (tokenizer, manager) -> {
            MaskedLanguageModel model = HfCheckpointReader.load(modelDir, manager, device, dataType);
            tokenizer.specials().requireMask();
            return new TextGenerator(manager, model, tokenizer);
        });
    }

    public MaskedLanguageModel model() {
        return model;
    }

    @Override
    public TextTokenizer tokenizer() {
        return tokenizer;
    }

    /** The canvas of a prompt: start token, prompt tokens, then {@code maxTokens} masks; or a template to infill. */
    public CanvasRow canvas(String prompt, int maxTokens, long seed) {
        SpecialTokens s = tokenizer.specials();
        long[] promptIds = tokenizer.encodePlain(prompt);
        if (Arrays.stream(promptIds).anyMatch(id -> id == s.maskId())) {
            long[] template = new long[promptIds.length + 2];
            template[0] = s.startId();
            System.arraycopy(promptIds, 0, template, 1, promptIds.length);
            template[template.length - 1] = s.endId();
            return CanvasRow.infill(template, s.maskId(), seed);
        }
        long[] start = new long[promptIds.length + 1];
        start[0] = s.startId();
        System.arraycopy(promptIds, 0, start, 1, promptIds.length);
        return CanvasRow.prompted(start, maxTokens, s.maskId(), seed);
    }

    /**
     * Generates for every prompt at once, each with its own length (rows of different lengths
     * share one canvas tensor).
     *
     * @param seeds one seed per prompt
     * @param maxTokens one length per prompt
     */
    @Override
    public List<GeneratedText> generate(List<String> prompts, long[] seeds, int[] maxTokens, GenerationConfig config,
            FrameListener frames, BooleanSupplier cancelled) {
        Generators.checkSizes(prompts, seeds, maxTokens);
        List<CanvasRow> rows = new ArrayList<>();
        for (int i = 0; i < prompts.size(); i++) {
            rows.add(canvas(prompts.get(i), maxTokens[i], seeds[i]));
        }
        List<GenerationResult> results = GradMode.disabled(
                () -> generator.generate(manager, rows, config, frames, cancelled));
        return Generators.texts(assembly, prompts, seeds, results, i -> continuationStart(rows.get(i)));
    }

    /** Where a prompted canvas's masks begin; -1 for a template (masks between fixed tokens). */
    private static int continuationStart(CanvasRow row) {
        int[] generated = row.generatedPositions();
        boolean tail = generated.length > 0 && generated[0] == row.length() - generated.length;
        return tail ? generated[0] : -1;
    }

    /**
     * A canvas as text with every masked position drawn as {@link #MASK_GLYPH}, decoded as one
     * sequence (so words keep the decoder's spaces), special tokens other than the mask left out.
     */
    @Override
    public String render(long[] ids) {
        return assembly.render(ids);
    }

    @Override
    public void close() {
        model.close();
        manager.close();
        tokenizer.close();
    }
}

package dev.unmask.diffusion.run;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.unmask.diffusion.checkpoint.Gpt2CheckpointReader;
import dev.unmask.diffusion.model.GradMode;
import dev.unmask.diffusion.model.Gpt2Model;
import dev.unmask.diffusion.sample.CausalGenerator;
import dev.unmask.diffusion.sample.Frame;
import dev.unmask.diffusion.sample.FrameListener;
import dev.unmask.diffusion.sample.GenerationConfig;
import dev.unmask.diffusion.sample.GenerationResult;
import dev.unmask.diffusion.sample.Gpt2Decoder;
import dev.unmask.diffusion.sample.PromptRow;
import dev.unmask.diffusion.tokenizer.TextTokenizer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * Text in, text out with a GPT-2 checkpoint: each prompt's tokens (no special tokens added, as
 * GPT-2's tokenizer does; an empty prompt starts from the start token) are continued left to
 * right by the KV-cached {@link CausalGenerator} until end-of-text or the row's {@code maxTokens}.
 */
public final class CausalTextGenerator implements PromptGenerator {
    private final NDManager manager;
    private final Gpt2Model model;
    private final TextTokenizer tokenizer;
    private final CausalGenerator generator;
    private final CausalGenerator fullLength;
    private final TextAssembly assembly;
    private final long startId;

    private CausalTextGenerator(NDManager manager, Gpt2Model model, TextTokenizer tokenizer) {
        this.manager = manager;
        this.model = model;
        this.tokenizer = tokenizer;
        int eos = model.config().eosTokenId() >= 0 ? model.config().eosTokenId() : tokenizer.specials().eosId();
        int bos = model.config().bosTokenId() >= 0 ? model.config().bosTokenId() : tokenizer.specials().bosId();
        this.startId = bos >= 0 ? bos : Math.max(eos, 0);
        this.generator = new CausalGenerator(new Gpt2Decoder(model), eos, startId);
        this.fullLength = new CausalGenerator(new Gpt2Decoder(model), -1, startId);
        this.assembly = new TextAssembly(tokenizer, TextGenerator.MASK_GLYPH);
    }

    public static CausalTextGenerator load(Path modelDir, Device device, DataType dataType) throws IOException {
        return Generators.open(modelDir, device, (tokenizer, manager) ->
                new CausalTextGenerator(manager, Gpt2CheckpointReader.load(modelDir, manager, device, dataType),
                        tokenizer));
    }

    public Gpt2Model model() {
        return model;
    }

    @Override
    public TextTokenizer tokenizer() {
        return tokenizer;
    }

    /** A prompt's token ids; the start token alone for an empty prompt. */
    public long[] promptIds(String prompt) {
        long[] ids = tokenizer.encodePlain(prompt);
        return ids.length > 0 ? ids : new long[] {startId};
    }

    @Override
    public List<GeneratedText> generate(List<String> prompts, long[] seeds, int[] maxTokens, GenerationConfig config,
            FrameListener frames, BooleanSupplier cancelled) {
        return generate(generator, prompts, seeds, maxTokens, config, frames, cancelled);
    }

    /** The generator that writes every row to its {@code maxTokens}: end-of-text is one more token. */
    public CausalGenerator fullLengthGenerator() {
        return fullLength;
    }

    /**
     * Like {@link #generate} but end-of-text does not stop a row: every row writes all of its
     * {@code maxTokens}, an end-of-text being one more token (removed from the text like every
     * special token). What a comparison with a model that always fills its canvas samples with, so
     * that both sides' statistics cover the same number of tokens.
     */
    public List<GeneratedText> generateFullLength(List<String> prompts, long[] seeds, int maxTokens,
            GenerationConfig config) {
        int[] lengths = new int[prompts.size()];
        Arrays.fill(lengths, maxTokens);
        return generate(fullLength, prompts, seeds, lengths, config, FrameListener.NONE, () -> false);
    }

    private List<GeneratedText> generate(CausalGenerator using, List<String> prompts, long[] seeds, int[] maxTokens,
            GenerationConfig config, FrameListener frames, BooleanSupplier cancelled) {
        Generators.checkSizes(prompts, seeds, maxTokens);
        List<PromptRow> rows = new ArrayList<>();
        for (int i = 0; i < prompts.size(); i++) {
            rows.add(new PromptRow(promptIds(prompts.get(i)), maxTokens[i], seeds[i]));
        }
        List<GenerationResult> results = GradMode.disabled(
                () -> using.generate(manager, rows, config, frames, cancelled));
        return Generators.texts(assembly, prompts, seeds, results, i -> rows.get(i).prompt().length);
    }

    /** The ids as text, special tokens removed (an autoregressive frame has nothing masked). */
    @Override
    public String render(long[] ids) {
        return tokenizer.decode(ids);
    }

    /** The prompt and every token written so far (no start token precedes a GPT-2 prompt). */
    @Override
    public String renderFrame(Frame frame) {
        return render(frame.ids());
    }

    /** A frame per new token. */
    @Override
    public int frames(GenerationConfig config, int maxTokens) {
        return maxTokens;
    }

    @Override
    public void close() {
        model.close();
        manager.close();
        tokenizer.close();
    }
}

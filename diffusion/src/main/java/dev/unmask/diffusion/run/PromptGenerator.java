package dev.unmask.diffusion.run;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;
import dev.unmask.diffusion.checkpoint.HfCheckpointReader;
import dev.unmask.diffusion.model.ModelFamily;
import dev.unmask.diffusion.sample.Frame;
import dev.unmask.diffusion.sample.FrameListener;
import dev.unmask.diffusion.sample.GenerationConfig;
import dev.unmask.diffusion.tokenizer.TextTokenizer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * Text in, text out for a batch of prompts, whatever the model family: a diffusion encoder
 * ({@link TextGenerator}) or GPT-2 ({@link CausalTextGenerator}). What commands and jobs call.
 */
public interface PromptGenerator extends AutoCloseable {

    /** The generator for a checkpoint folder, chosen by its {@code model_type}. */
    static PromptGenerator load(Path modelDir, Device device, DataType dataType) throws IOException {
        return HfCheckpointReader.family(modelDir) == ModelFamily.CAUSAL_LM
                ? CausalTextGenerator.load(modelDir, device, dataType)
                : TextGenerator.load(modelDir, device, dataType);
    }

    TextTokenizer tokenizer();

    /**
     * Generates for every prompt at once, each with its own length.
     *
     * @param seeds one seed per prompt
     * @param maxTokens one length per prompt
     * @param frames one frame per denoising step (diffusion) or per new token (GPT-2) of each row
     */
    List<GeneratedText> generate(List<String> prompts, long[] seeds, int[] maxTokens, GenerationConfig config,
            FrameListener frames, BooleanSupplier cancelled);

    /** Generates for every prompt at once, all with the same length. */
    default List<GeneratedText> generate(List<String> prompts, long[] seeds, int maxTokens, GenerationConfig config,
            FrameListener frames, BooleanSupplier cancelled) {
        int[] lengths = new int[prompts.size()];
        Arrays.fill(lengths, maxTokens);
        return generate(prompts, seeds, lengths, config, frames, cancelled);
    }

    /** A frame's ids as text (masked positions drawn as {@link TextGenerator#MASK_GLYPH}). */
    String render(long[] ids);

    /** A frame as a client is shown it: the text of its canvas, without the start token. */
    default String renderFrame(Frame frame) {
        return render(Arrays.copyOfRange(frame.ids(), 1, frame.ids().length));
    }

    /**
     * The most frames a row of {@code maxTokens} gets: one per denoising step (diffusion's
     * {@code config.steps()}), one per new token (GPT-2).
     */
    default int frames(GenerationConfig config, int maxTokens) {
        return config.steps();
    }

    @Override
    void close();
}

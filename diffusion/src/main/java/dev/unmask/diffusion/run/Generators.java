package dev.unmask.diffusion.run;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import dev.unmask.diffusion.checkpoint.SentenceTransformersLayout;
import dev.unmask.diffusion.sample.GenerationResult;
import dev.unmask.diffusion.tokenizer.TextTokenizer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntUnaryOperator;

/** What every {@link PromptGenerator} does the same way: opening a folder, checking a call, wording results. */
final class Generators {
    private Generators() {}

    /** Builds a generator over a folder's tokenizer and a new base manager on {@code device}. */
    interface Opener<G> {
        G open(TextTokenizer tokenizer, NDManager manager) throws IOException;
    }

    /**
     * Loads the folder's tokenizer (a sentence-transformers folder's: its Transformer module's) and
     * opens the generator; both are closed again if that fails.
     */
    static <G> G open(Path modelDir, Device device, Opener<G> opener) throws IOException {
        TextTokenizer tokenizer = TextTokenizer.load(SentenceTransformersLayout.transformerDir(modelDir));
        NDManager manager = NDManager.newBaseManager(device);
        try {
            return opener.open(tokenizer, manager);
        } catch (IOException | RuntimeException e) {
            manager.close();
            tokenizer.close();
            throw e;
        }
    }

    /** One seed and one length per prompt, or an error naming the counts. */
    static void checkSizes(List<String> prompts, long[] seeds, int[] maxTokens) {
        if (prompts.size() != seeds.length || prompts.size() != maxTokens.length) {
            throw new IllegalArgumentException(prompts.size() + " prompts but " + seeds.length + " seeds and "
                    + maxTokens.length + " lengths");
        }
    }

    /**
     * Each result as text through the tokenizer's decoder ({@link TextAssembly#text}).
     *
     * @param promptLength per row: how many leading ids of its result are the prompt; -1 for a template
     */
    static List<GeneratedText> texts(TextAssembly assembly, List<String> prompts, long[] seeds,
            List<GenerationResult> results, IntUnaryOperator promptLength) {
        List<GeneratedText> texts = new ArrayList<>();
        for (int i = 0; i < results.size(); i++) {
            texts.add(assembly.text(prompts.get(i), results.get(i), promptLength.applyAsInt(i), seeds[i]));
        }
        return texts;
    }
}

package dev.unmask.diffusion.data;

import dev.unmask.corpus.Document;

import dev.unmask.diffusion.tokenizer.SpecialTokens;
import dev.unmask.diffusion.tokenizer.TextTokenizer;

/**
 * Turns documents into {@link Example}s: {@code startId + encodePlain(prompt) + encodePlain(text)
 * + endId}. The parts are tokenized without special tokens and the start/end ids are added here,
 * so that the prompt's length in tokens is exact (prompt and text are tokenized separately; no
 * separator is inserted between them).
 */
public final class ExampleEncoder {
    private final TextTokenizer tokenizer;
    private final int startId;
    private final int endId;

    public ExampleEncoder(TextTokenizer tokenizer) {
        SpecialTokens specials = tokenizer.specials();
        if (specials.startId() < 0) {
            throw new IllegalArgumentException("the tokenizer has no start token (neither cls nor bos)");
        }
        if (specials.endId() < 0) {
            throw new IllegalArgumentException("the tokenizer has no end token (neither sep nor eos)");
        }
        this.tokenizer = tokenizer;
        this.startId = specials.startId();
        this.endId = specials.endId();
    }

    public Example encode(Document document) {
        long[] prompt = document.hasPrompt() ? tokenizer.encodePlain(document.prompt()) : new long[0];
        long[] text = tokenizer.encodePlain(document.text());
        long[] ids = new long[prompt.length + text.length + 2];
        ids[0] = startId;
        System.arraycopy(prompt, 0, ids, 1, prompt.length);
        System.arraycopy(text, 0, ids, 1 + prompt.length, text.length);
        ids[ids.length - 1] = endId;
        return new Example(ids, 1 + prompt.length);
    }
}

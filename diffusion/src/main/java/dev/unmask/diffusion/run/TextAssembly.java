package dev.unmask.diffusion.run;

import dev.unmask.diffusion.sample.GenerationResult;
import dev.unmask.diffusion.tokenizer.SpecialTokens;
import dev.unmask.diffusion.tokenizer.TextTokenizer;
import java.util.Arrays;
import java.util.stream.LongStream;

/**
 * Token ids to the text a reader sees, always through the tokenizer's decoder over the whole
 * sequence: whether a token opens a new word (a space before it) is the decoder's business, and
 * only the decoder knows it (WordPiece joins {@code ##} pieces and spaces everything else; byte-level
 * BPE carries its spaces in the tokens). Decoding the prompt and the continuation apart and
 * concatenating them loses the space between them ("She looked at" + "the country").
 */
final class TextAssembly {
    private final TextTokenizer tokenizer;
    private final String maskGlyph;

    TextAssembly(TextTokenizer tokenizer, String maskGlyph) {
        this.tokenizer = tokenizer;
        this.maskGlyph = maskGlyph;
    }

    /**
     * A generation as text: {@link GeneratedText#fullText} the prompt's and the generated tokens
     * decoded together, {@link GeneratedText#text} what the generation adds ({@link #continuation});
     * for a template, both the filled template.
     *
     * @param promptLength how many leading ids of {@code result} are the prompt; -1 for a template
     */
    GeneratedText text(String prompt, GenerationResult result, int promptLength, long seed) {
        String full;
        String text;
        if (promptLength < 0) { // a template: its text and its filled masks together
            full = tokenizer.decode(result.ids());
            text = full;
        } else {
            long[] promptIds = Arrays.copyOf(result.ids(), promptLength);
            full = full(promptIds, result.generated());
            text = continuation(promptIds, full);
        }
        return new GeneratedText(prompt, text, full, result.generated().length, result.steps(), seed);
    }

    /** The prompt's and the generated tokens decoded together, special tokens removed. */
    String full(long[] promptIds, long[] generatedIds) {
        return tokenizer.decode(LongStream.concat(Arrays.stream(promptIds), Arrays.stream(generatedIds)).toArray());
    }

    /**
     * What the generated tokens add to the prompt's text: {@code full} past the decoded prompt,
     * with the space the decoder puts before the first generated word. Where the decoder's cleanup
     * rewrites the seam (WordPiece's {@code " ' s"} to {@code "'s"}), the part past the longest
     * common prefix.
     */
    String continuation(long[] promptIds, String full) {
        String head = tokenizer.decode(promptIds);
        int common = 0;
        int limit = Math.min(head.length(), full.length());
        while (common < limit && head.charAt(common) == full.charAt(common)) {
            common++;
        }
        if (common > 0 && common < full.length() && Character.isLowSurrogate(full.charAt(common))) {
            common--; // never split a surrogate pair
        }
        return full.substring(common);
    }

    /**
     * A canvas as text, every masked position drawn as the glyph where the decoder puts the mask
     * token (its own word for WordPiece, spaced; glued for byte-level BPE). Special tokens other
     * than the mask are left out, as in the final text.
     */
    String render(long[] ids) {
        SpecialTokens s = tokenizer.specials();
        long[] kept = Arrays.stream(ids).filter(id -> id == s.maskId() || !s.isSpecial(id)).toArray();
        int masks = (int) Arrays.stream(kept).filter(id -> id == s.maskId()).count();
        String maskText = tokenizer.specialToken(s.maskId());
        if (masks == 0 || maskText == null) {
            return tokenizer.decode(kept);
        }
        String text = tokenizer.decode(kept, false);
        String[] parts = text.split(java.util.regex.Pattern.quote(maskText), -1);
        if (parts.length == masks + 1) {
            return String.join(maskGlyph, parts);
        }
        return renderBySegments(kept); // the mask's spelling also occurs in the text itself
    }

    /** Each run of unmasked tokens decoded on its own, a glyph between: loses the decoder's spaces at masks. */
    private String renderBySegments(long[] ids) {
        int mask = tokenizer.specials().maskId();
        StringBuilder out = new StringBuilder();
        int start = 0;
        for (int i = 0; i <= ids.length; i++) {
            if (i == ids.length || ids[i] == mask) {
                if (i > start) {
                    out.append(tokenizer.decode(Arrays.copyOfRange(ids, start, i)));
                }
                if (i < ids.length) {
                    out.append(maskGlyph);
                }
                start = i + 1;
            }
        }
        return out.toString();
    }
}

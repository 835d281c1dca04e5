package dev.unmask.diffusion.compare;

import dev.unmask.diffusion.data.Sequence;
import dev.unmask.diffusion.tokenizer.SpecialTokens;
import dev.unmask.diffusion.tokenizer.TextTokenizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Prompts cut from held-out text, so neither model has trained on them: from rows spread evenly
 * over the held-out split, the first {@code length} consecutive real tokens with no special token
 * among them (a packed row may hold a document boundary), decoded to text.
 */
final class Prompts {
    private Prompts() {}

    static List<String> fromHeldOut(List<Sequence> heldOut, TextTokenizer tokenizer, int count, int length) {
        SpecialTokens specials = tokenizer.specials();
        Set<Integer> order = new LinkedHashSet<>(); // rows spread over the split first, then the rest
        int spread = Math.min(count, heldOut.size());
        for (int i = 0; i < spread; i++) {
            order.add((int) ((long) i * heldOut.size() / spread));
        }
        for (int i = 0; i < heldOut.size(); i++) {
            order.add(i);
        }
        List<String> prompts = new ArrayList<>();
        for (int index : order) {
            long[] window = window(heldOut.get(index), specials, length);
            if (window != null) {
                prompts.add(tokenizer.decode(window));
            }
            if (prompts.size() == count) {
                return prompts;
            }
        }
        if (prompts.isEmpty()) {
            throw new IllegalArgumentException("no held-out row holds " + length
                    + " consecutive real tokens to prompt with; hold out more text or shorten the prompt");
        }
        for (int i = 0; prompts.size() < count; i++) { // a small held-out split: cycle through what there is
            prompts.add(prompts.get(i));
        }
        return prompts;
    }

    /** The first run of {@code length} real, non-special ids of the row; null when it has none. */
    private static long[] window(Sequence row, SpecialTokens specials, int length) {
        int run = 0;
        for (int t = 0; t < row.length(); t++) {
            boolean real = row.attentionMask()[t] != 0 && !specials.isSpecial(row.ids()[t]);
            run = real ? run + 1 : 0;
            if (run == length) {
                return Arrays.copyOfRange(row.ids(), t - length + 1, t + 1);
            }
        }
        return null;
    }
}

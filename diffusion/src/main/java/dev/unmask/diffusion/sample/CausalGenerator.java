package dev.unmask.diffusion.sample;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;

/**
 * Writes text left to right with a KV cache: one pass over the (left-padded) prompts of a batch,
 * then one column per step for the rows still writing. A row stops at end-of-text or after its
 * {@code maxTokens}, and leaves the batch (and the cache). Tokens are chosen by the same
 * {@link TokenSampler} as diffusion: temperature 0 is argmax, else temperature, top-k and top-p,
 * one draw per token from the row's own seeded RNG. Of a {@link GenerationConfig} only those three
 * apply; a diffusion strategy's steps, threshold and blocks do not, and no token is suppressed
 * (GPT-2's start token is its end token).
 */
public final class CausalGenerator {
    private final CausalLm model;
    private final int eosId;
    private final long padId;

    /**
     * @param eosId the end-of-text token that stops a row; -1 = rows always write {@code maxTokens}
     * @param padId the id left padding holds (never attended to; any valid id)
     */
    public CausalGenerator(CausalLm model, int eosId, long padId) {
        this.model = model;
        this.eosId = eosId;
        this.padId = padId;
    }

    /**
     * @param listener gets one frame per new token of each row: the row's ids so far, the new
     *     position as changed, and how many tokens it may still write as {@code masked}
     * @return per row: prompt and chosen tokens as {@code ids}, the chosen tokens without the
     *     end-of-text as {@code generated}, and the tokens chosen as {@code steps}
     */
    public List<GenerationResult> generate(NDManager manager, List<PromptRow> rows, GenerationConfig config,
            FrameListener listener, BooleanSupplier cancelled) {
        if (rows.isEmpty()) {
            return List.of();
        }
        for (int r = 0; r < rows.size(); r++) {
            if (rows.get(r).maxLength() > model.maxLength()) {
                throw new IllegalArgumentException("row " + r + ": a prompt of " + rows.get(r).prompt().length
                        + " tokens and " + rows.get(r).maxTokens() + " new ones exceed the model's "
                        + model.maxLength() + " positions");
            }
        }
        int promptWidth = rows.stream().mapToInt(r -> r.prompt().length).max().orElse(0);
        int longest = rows.stream().mapToInt(PromptRow::maxTokens).max().orElse(1);
        long[][] written = new long[rows.size()][];
        int[] count = new int[rows.size()];
        SplittableRandom[] rngs = new SplittableRandom[rows.size()];
        for (int r = 0; r < rows.size(); r++) {
            written[r] = new long[rows.get(r).maxTokens()];
            rngs[r] = new SplittableRandom(rows.get(r).seed());
        }
        try (NDManager scope = manager.newSubManager();
                CausalLm.Decoding decoding = model.start(scope, rows.size(), promptWidth + longest - 1)) {
            int[] active = new int[rows.size()]; // decoding row i is rows.get(active[i])
            Arrays.setAll(active, i -> i);
            long[][] ids = new long[rows.size()][promptWidth]; // (B, T): the left-padded prompts
            boolean[][] real = new boolean[rows.size()][promptWidth]; // (B, T)
            for (int r = 0; r < rows.size(); r++) {
                long[] prompt = rows.get(r).prompt();
                int pad = promptWidth - prompt.length;
                Arrays.fill(ids[r], 0, pad, padId);
                System.arraycopy(prompt, 0, ids[r], pad, prompt.length);
                Arrays.fill(real[r], pad, promptWidth, true);
            }
            while (true) {
                if (cancelled.getAsBoolean()) {
                    throw new CancellationException("generation cancelled");
                }
                float[] uniforms = new float[active.length];
                for (int i = 0; i < active.length; i++) {
                    uniforms[i] = config.greedy() ? 0f : (float) rngs[active[i]].nextDouble();
                }
                Predictions chosen;
                try (NDManager step = scope.newSubManager()) {
                    NDArray logits = decoding.append(step, ids, real); // (B, V)
                    chosen = TokenSampler.choose(logits, uniforms, config, null);
                }
                List<Integer> keep = new ArrayList<>();
                for (int i = 0; i < active.length; i++) {
                    int r = active[i];
                    long token = chosen.tokens()[i];
                    written[r][count[r]++] = token;
                    boolean done = token == eosId || count[r] == rows.get(r).maxTokens();
                    listener.onFrame(frame(r, rows.get(r), written[r], count[r], token == eosId));
                    if (!done) {
                        keep.add(i);
                    }
                }
                if (keep.isEmpty()) {
                    break;
                }
                int[] kept = keep.stream().mapToInt(Integer::intValue).toArray();
                if (kept.length < active.length) {
                    decoding.retain(kept);
                }
                int[] next = new int[kept.length];
                ids = new long[kept.length][1];
                real = new boolean[kept.length][1];
                for (int i = 0; i < kept.length; i++) {
                    next[i] = active[kept[i]];
                    ids[i][0] = written[next[i]][count[next[i]] - 1];
                    real[i][0] = true;
                }
                active = next;
            }
        }
        List<GenerationResult> results = new ArrayList<>();
        for (int r = 0; r < rows.size(); r++) {
            long[] tokens = Arrays.copyOf(written[r], count[r]);
            long[] generated = count[r] > 0 && tokens[count[r] - 1] == eosId
                    ? Arrays.copyOf(tokens, count[r] - 1) : tokens;
            results.add(new GenerationResult(concat(rows.get(r).prompt(), tokens), generated, count[r]));
        }
        return results;
    }

    private static Frame frame(int r, PromptRow row, long[] written, int count, boolean ended) {
        long[] ids = concat(row.prompt(), Arrays.copyOf(written, count));
        return new Frame(r, count, ids, new int[] {ids.length - 1}, ended ? 0 : row.maxTokens() - count);
    }

    private static long[] concat(long[] a, long[] b) {
        long[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}

package dev.unmask.diffusion.sample;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import dev.unmask.diffusion.model.GradMode;
import dev.unmask.diffusion.model.Gpt2Model;
import java.util.Arrays;

/** The reference a KV cache must equal: the whole sequence through the model every step, argmax of the last position. */
public final class FullRecompute {
    private FullRecompute() {}

    /**
     * @param eos the token that ends the text (not appended); -1 = write all {@code tokens}
     * @return the prompt followed by the chosen tokens
     */
    public static long[] greedy(Gpt2Model model, long[] prompt, int tokens, long eos) {
        long[] seq = prompt.clone();
        for (int i = 0; i < tokens; i++) {
            try (NDManager call = model.manager().newSubManager()) {
                long[] current = seq;
                NDArray logits = GradMode.disabled(
                        () -> model.forward(call.create(new long[][] {current}), null).logits()); // (1, T, V)
                long token = logits.get(new NDIndex(0, -1)).argMax().toType(DataType.INT64, false).getLong();
                if (token == eos) {
                    break;
                }
                seq = Arrays.copyOf(seq, seq.length + 1);
                seq[seq.length - 1] = token;
            }
        }
        return seq;
    }
}

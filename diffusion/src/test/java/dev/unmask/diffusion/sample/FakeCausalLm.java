package dev.unmask.diffusion.sample;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A causal model with known logits: after token t it prefers {@code (t + 1) % VOCAB} by a wide
 * margin. Keeps each row's tokens as its "cache" and records every block it is fed and every
 * retain, so a test sees how a generator drives it.
 */
class FakeCausalLm implements CausalLm {
    static final int VOCAB = 32;
    final List<String> calls = new ArrayList<>();

    @Override
    public int vocabSize() {
        return VOCAB;
    }

    @Override
    public int maxLength() {
        return 40;
    }

    @Override
    public Decoding start(NDManager manager, int rows, int capacity) {
        calls.add("start " + rows + "x" + capacity);
        return new Decoding() {
            @Override
            public NDArray append(NDManager out, long[][] ids, boolean[][] real) {
                calls.add("append " + ids.length + "x" + ids[0].length);
                float[][] logits = new float[ids.length][VOCAB];
                for (int b = 0; b < ids.length; b++) {
                    long last = ids[b][ids[b].length - 1];
                    logits[b][(int) ((last + 1) % VOCAB)] = 10f;
                }
                return out.create(logits);
            }

            @Override
            public void retain(int[] rows) {
                calls.add("retain " + Arrays.toString(rows));
            }

            @Override
            public void close() {
                calls.add("close");
            }
        };
    }
}

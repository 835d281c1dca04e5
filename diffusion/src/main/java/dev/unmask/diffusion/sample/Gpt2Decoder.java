package dev.unmask.diffusion.sample;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.unmask.diffusion.model.Gpt2Model;
import dev.unmask.diffusion.model.KvCache;

/** A {@link CausalLm} over a {@link Gpt2Model}: each decoding holds a {@link KvCache} in native memory. */
public final class Gpt2Decoder implements CausalLm {
    private final Gpt2Model model;

    public Gpt2Decoder(Gpt2Model model) {
        this.model = model;
    }

    @Override
    public int vocabSize() {
        return model.config().vocabSize();
    }

    @Override
    public int maxLength() {
        return model.config().maxPositions();
    }

    @Override
    public Decoding start(NDManager manager, int rows, int capacity) {
        KvCache cache = KvCache.allocate(manager, model.config(), rows, capacity, model.dataType(), model.device());
        return new Decoding() {
            @Override
            public NDArray append(NDManager out, long[][] ids, boolean[][] real) {
                return model.extend(cache, ids, real, out);
            }

            @Override
            public void retain(int[] rows) {
                cache.retain(rows);
            }

            @Override
            public void close() {
                cache.close();
            }
        };
    }
}

package dev.unmask.diffusion.model;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.unmask.diffusion.model.Gpt2Weights.Block;
import dev.unmask.diffusion.model.Gpt2Weights.Conv1D;
import dev.unmask.diffusion.model.ModelWeights.Norm;
import java.util.Collections;
import java.util.Map;

/**
 * {@code transformers}' {@code GPT2LMHeadModel} computed with NDArray ops: token + position
 * embeddings, {@code n_layer} pre-LayerNorm decoder blocks with causal attention that never
 * attends to padding, the final LayerNorm and the LM head (tied to the token embeddings unless the
 * config says not). Scores are {@code q k^T / sqrt(head_dim)}, softmax in the model's type.
 *
 * <p>Two ways in: {@link #forward} over whole sequences (parity, training), and {@link #extend},
 * which feeds new columns against a {@link KvCache} (generation). Both leave their results in
 * the caller's manager and free their temporaries.
 */
public final class Gpt2Model implements TrainableModel<Gpt2Model> {
    private final Gpt2Config config;
    private final Gpt2Layout layout;
    private final NDManager manager;
    private final Map<String, NDArray> parameters;
    private final Gpt2Weights weights;
    private final DataType dataType;
    /** float16's largest finite value. */
    private static final float MAX_FLOAT16 = 65504f;

    private Gpt2Model(Gpt2Config config, Gpt2Layout layout, NDManager manager, Map<String, NDArray> parameters) {
        this.config = config;
        this.layout = layout;
        this.manager = manager;
        this.parameters = Collections.unmodifiableMap(parameters);
        this.weights = Gpt2Weights.resolve(config, parameters);
        this.dataType = weights.tokenEmbeddings().getDataType();
    }

    /**
     * A model over the given parameters, which must match {@link Gpt2Layout#of} exactly. Takes
     * ownership: the arrays are attached to {@code manager}, which the model closes.
     */
    public static Gpt2Model of(Gpt2Config config, Map<String, NDArray> parameters, NDManager manager) {
        Gpt2Layout layout = Gpt2Layout.of(config);
        return new Gpt2Model(config, layout, manager, Parameters.adopt(layout.specs(), parameters, manager));
    }

    public Gpt2Config config() {
        return config;
    }

    public Gpt2Layout layout() {
        return layout;
    }

    @Override
    public ObjectNode configJson() {
        return config.toJson();
    }

    @Override
    public Map<String, NDArray> parameters() {
        return parameters;
    }

    @Override
    public DataType dataType() {
        return dataType;
    }

    @Override
    public Device device() {
        return weights.tokenEmbeddings().getDevice();
    }

    /** The manager that owns the parameters. */
    @Override
    public NDManager manager() {
        return manager;
    }

    @Override
    public Map<String, ParameterSpec> parameterSpecs() {
        return layout.specs();
    }

    @Override
    public Gpt2Model withParameters(Map<String, NDArray> parameters, NDManager manager) {
        return of(config, parameters, manager);
    }

    /**
     * Full forward pass at positions 0..T-1, as {@code transformers} computes it without position ids.
     *
     * @param inputIds (B, T) token ids
     * @param attentionMask (B, T) 1 for real tokens, 0 for padding (never attended to); null = all real
     * @return logits (B, T, V) predicting the next token at every position, and the hidden state
     *     (B, T, E) after {@code ln_f}
     */
    public EncoderOutput forward(NDArray inputIds, NDArray attentionMask) {
        NDArray hidden = hidden(inputIds, attentionMask); // (B, T, E)
        return new EncoderOutput(logits(hidden), hidden);
    }

    /** The hidden state (B, T, E) after the final LayerNorm. Arguments as in {@link #forward}. */
    public NDArray hidden(NDArray inputIds, NDArray attentionMask) {
        Shape shape = inputIds.getShape();
        if (shape.dimension() != 2) {
            throw new IllegalArgumentException("inputIds must be (batch, seq), got " + shape);
        }
        int seq = (int) shape.get(1);
        if (seq > config.maxPositions()) {
            throw new IllegalArgumentException("sequence length " + seq + " exceeds the model's "
                    + config.maxPositions() + " positions");
        }
        if (attentionMask != null && !attentionMask.getShape().equals(shape)) {
            throw new IllegalArgumentException("attentionMask " + attentionMask.getShape()
                    + " does not match inputIds " + shape);
        }
        NDManager out = inputIds.getManager();
        try (NDManager scope = out.newSubManager(device())) {
            NDArray ids = inScope(inputIds, scope).toType(DataType.INT64, false); // (B, T)
            NDArray keyMask = attentionMask == null
                    ? scope.ones(shape, DataType.FLOAT32)
                    : inScope(attentionMask, scope).toType(DataType.FLOAT32, false); // (B, T)
            NDArray positions = scope.arange(0, seq, 1, DataType.INT64).expandDims(0); // (1, T)
            NDArray x = decode(ids, positions, attentionMask(keyMask, 0, seq), null, 0); // (B, T, E)
            x.attach(out);
            return x;
        }
    }

    /**
     * Feeds a block of new columns to every row of {@code cache} (the prompt, then one token per
     * step) and returns the next-token logits after the block's last column, which must be a real
     * token of every row (left padding).
     *
     * @param ids (B, T) token ids; padding columns may hold any id
     * @param real (B, T) true for real tokens
     * @return (B, V) logits in {@code out}
     */
    public NDArray extend(KvCache cache, long[][] ids, boolean[][] real, NDManager out) {
        if (ids.length != real.length) {
            throw new IllegalArgumentException(ids.length + " rows of ids but " + real.length + " of flags");
        }
        for (int b = 0; b < real.length; b++) {
            if (ids[b].length != real[b].length || ids[b].length != ids[0].length) {
                throw new IllegalArgumentException("row " + b + " has " + ids[b].length + " ids and "
                        + real[b].length + " flags; every row of a block takes " + ids[0].length);
            }
            if (!real[b][real[b].length - 1]) {
                throw new IllegalArgumentException("row " + b + " of the block ends in padding; left-pad instead");
            }
        }
        try (NDManager scope = out.newSubManager(device())) {
            int start = cache.length();
            long[][] positions = cache.append(real); // (B, T)
            AttentionMask mask = attentionMask(cache.keyMask(scope), start, ids[0].length); // (B, 1, T, L)
            NDArray x = decode(scope.create(ids), scope.create(positions), mask, cache, start); // (B, T, E)
            NDArray last = x.get(new NDIndex(":, -1, :")); // (B, E)
            NDArray logits = logits(last); // (B, V)
            logits.attach(out);
            return logits;
        }
    }

    /** The LM head: (..., E) -> (..., V), {@code h wte^T} when tied. */
    public NDArray logits(NDArray hidden) {
        return Linear.linear(hidden, weights.head()).singletonOrThrow();
    }

    /**
     * Embeddings, blocks and the final LayerNorm, in the manager of {@code ids}.
     *
     * @param ids (B, T)
     * @param positions (B, T) or (1, T)
     * @param mask which of the L keys each of the T queries may attend to
     * @param cache where this block's keys and values go and earlier ones come from; null = none
     */
    private NDArray decode(NDArray ids, NDArray positions, AttentionMask mask, KvCache cache, int start) {
        NDArray tokens = Layers.lookup(ids, weights.tokenEmbeddings()); // (B, T, E)
        NDArray x = tokens.add(Layers.lookup(positions, weights.positionEmbeddings())); // (B, T, E)
        for (int i = 0; i < weights.blocks().size(); i++) {
            NDArray next = block(x, mask, weights.blocks().get(i), cache, i, start);
            x.close();
            x = next;
        }
        return norm(x, weights.finalNorm());
    }

    /** One pre-LN block: x + attn(ln_1(x)), then + mlp(ln_2(.)): (B, T, E) -> (B, T, E). */
    private NDArray block(NDArray x, AttentionMask mask, Block w, KvCache cache, int layer, int start) {
        NDManager parent = x.getManager();
        try (NDManager scope = parent.newSubManager()) {
            x.tempAttach(scope);
            NDList qkv = conv(norm(x, w.attentionNorm()), w.qkv()).split(3, 2); // 3 x (B, T, E)
            NDArray q = heads(qkv.get(0)); // (B, nH, T, dH)
            NDArray k = heads(qkv.get(1)); // (B, nH, T, dH)
            NDArray v = heads(qkv.get(2)); // (B, nH, T, dH)
            if (cache != null) {
                cache.store(layer, start, k, v);
                k = cache.keys(layer, scope); // (B, nH, L, dH)
                v = cache.values(layer, scope); // (B, nH, L, dH)
            }
            NDArray context = attend(q, k, v, mask); // (B, T, E)
            NDArray h = x.add(conv(context, w.attentionOut())); // (B, T, E)
            NDArray ff = config.activation().apply(conv(norm(h, w.mlpNorm()), w.fc())); // (B, T, F)
            NDArray y = h.add(conv(ff, w.proj())); // (B, T, E)
            y.attach(parent);
            return y;
        }
    }

    /**
     * softmax(q k^T / sqrt(dH) + mask) v: -> (B, T, E). A float32 model adds the float32 bias; a
     * float16 one computes in float16 (as {@code transformers} does), where the scores of keys it
     * may not attend to are replaced by float16's lowest value: a cast of float32 probabilities back
     * to float16 would cut the autograd graph, and fp16 training needs it whole.
     */
    private NDArray attend(NDArray q, NDArray k, NDArray v, AttentionMask mask) {
        Shape s = q.getShape();
        NDArray dot = q.matMul(k.transpose(0, 1, 3, 2)); // (B, nH, T, L)
        NDArray scores = Scalars.div(dot, (float) Math.sqrt(config.headSize())); // (B, nH, T, L)
        NDArray probs = (mask.keep() == null ? scores : scores.mul(mask.keep())).add(mask.bias())
                .softmax(-1); // (B, nH, T, L) in the model's type
        return probs.matMul(v) // (B, nH, T, dH)
                .transpose(0, 2, 1, 3)
                .reshape(s.get(0), s.get(2), config.embedSize()); // (B, T, E)
    }

    /**
     * Which keys each query may attend to, in the model's type.
     *
     * @param keep (B, 1, T, L) 1 where allowed, 0 elsewhere; null for a float32 model, whose bias
     *     alone suffices (its lowest value swamps any score)
     * @param bias (B, 1, T, L) 0 where allowed, the type's lowest finite value elsewhere
     */
    private record AttentionMask(NDArray keep, NDArray bias) {}

    /**
     * Query t (at column {@code start + t}) may attend to key j when j is a real token at or before
     * it. Disallowed scores become the lowest finite value of the type (finite: a padding query,
     * which may attend to no key, gets equal scores rather than NaN). Float32 adds the bias to the
     * scores; float16 multiplies by {@code keep} first, since its lowest value plus a negative
     * score would overflow to -inf.
     *
     * @param keyMask (B, L) 1 for real tokens
     */
    private AttentionMask attentionMask(NDArray keyMask, int start, int queries) {
        NDManager scope = keyMask.getManager();
        long keys = keyMask.getShape().get(1);
        NDArray column = scope.arange(0, (int) keys, 1, DataType.INT64).reshape(1, keys); // (1, L)
        NDArray row = scope.arange(start, start + queries, 1, DataType.INT64).reshape(queries, 1); // (T, 1)
        NDArray causal = column.lte(row).toType(DataType.FLOAT32, false); // (T, L)
        NDArray allowed = keyMask.toType(DataType.FLOAT32, false).reshape(-1, 1, 1, keys).mul(causal); // (B, 1, T, L)
        if (dataType == DataType.FLOAT32) {
            return new AttentionMask(null, Scalars.mul(Scalars.add(allowed, -1f), Float.MAX_VALUE)); // 0 or lowest
        }
        NDArray keep = allowed.toType(dataType, false); // (B, 1, T, L)
        return new AttentionMask(keep, Scalars.mul(Scalars.add(keep, -1f), MAX_FLOAT16)); // 0 or lowest
    }

    /** GPT-2's (B, T, E) -> (B, nH, T, dH). */
    private NDArray heads(NDArray x) {
        Shape s = x.getShape();
        return x.reshape(s.get(0), s.get(1), config.numHeads(), config.headSize()).transpose(0, 2, 1, 3);
    }

    /** Conv1D: x W + b with W (in, out). */
    private static NDArray conv(NDArray x, Conv1D c) {
        return x.matMul(c.weight()).add(c.bias());
    }

    private NDArray norm(NDArray x, Norm n) {
        return Layers.layerNorm(x, n, config.embedSize(), config.layerNormEps());
    }

    private NDArray inScope(NDArray array, NDManager scope) {
        return Layers.inScope(array, scope, device());
    }

    @Override
    public void close() {
        manager.close();
    }
}

package dev.unmask.diffusion.model;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An HF-compatible masked language model (RoBERTa or BERT family) computed with NDArray ops:
 * embeddings, {@code num_hidden_layers} post-LayerNorm transformer layers with a padding mask,
 * and the masked-LM head. Parameters are read-only during inference and named as in HF
 * checkpoints; the model owns the NDManager that holds them.
 *
 * <p>Every forward method leaves its result in the manager of its {@code inputIds} argument and
 * frees its temporaries, so a caller that closes its own per-call manager keeps memory flat.
 */
public final class MaskedLanguageModel implements TrainableModel<MaskedLanguageModel> {
    private final EncoderConfig config;
    private final ParameterLayout layout;
    private final NDManager manager;
    private final Map<String, NDArray> parameters;
    private final ModelWeights weights;
    private final DataType dataType;
    private InferencePass inference; // built on first use

    private MaskedLanguageModel(
            EncoderConfig config, ParameterLayout layout, NDManager manager,
            Map<String, NDArray> parameters) {
        this.config = config;
        this.layout = layout;
        this.manager = manager;
        this.parameters = Collections.unmodifiableMap(parameters);
        this.weights = ModelWeights.resolve(config, parameters);
        this.dataType = weights.wordEmbeddings().getDataType();
    }

    /**
     * A model over the given parameters, which must match {@link ParameterLayout#of} exactly in
     * names and shapes, all on one device, all of one floating type. Takes ownership: the
     * arrays are attached to {@code manager}, which the model closes.
     */
    public static MaskedLanguageModel of(
            EncoderConfig config, Map<String, NDArray> parameters, NDManager manager) {
        ParameterLayout layout = ParameterLayout.of(config);
        Map<String, NDArray> ordered = Parameters.adopt(layout.specs(), parameters, manager);
        return new MaskedLanguageModel(config, layout, manager, ordered);
    }

    public EncoderConfig config() {
        return config;
    }

    public ParameterLayout layout() {
        return layout;
    }

    @Override
    public ObjectNode configJson() {
        return config.toJson();
    }

    /** Parameters by HF name, in layout order. The tied decoder is not listed separately. */
    @Override
    public Map<String, NDArray> parameters() {
        return parameters;
    }

    /**
     * The parameters by HF name; an untied head's output bias also under its decoder's name
     * ({@code lm_head.decoder.bias}), as {@code transformers} 5.x saves it: one tensor, two names.
     */
    @Override
    public Map<String, NDArray> savedTensors() {
        if (config.tieWordEmbeddings()) {
            return parameters;
        }
        Map<String, NDArray> tensors = new LinkedHashMap<>(parameters);
        ModelType type = config.modelType();
        NDArray bias = parameters.get(type.headBias());
        type.headBiasAliases().forEach(alias -> tensors.put(alias, bias));
        return tensors;
    }

    @Override
    public DataType dataType() {
        return dataType;
    }

    @Override
    public Device device() {
        return weights.wordEmbeddings().getDevice();
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
    public MaskedLanguageModel withParameters(Map<String, NDArray> parameters, NDManager manager) {
        return of(config, parameters, manager);
    }

    /**
     * Full forward pass.
     *
     * @param inputIds (batch, seq) int64 token ids
     * @param attentionMask (batch, seq) 1 for real tokens, 0 for padding; null = all real
     * @param tokenTypeIds (batch, seq) int64 segment ids; null = all zero
     */
    public EncoderOutput forward(NDArray inputIds, NDArray attentionMask, NDArray tokenTypeIds) {
        NDArray hidden = hidden(inputIds, attentionMask, tokenTypeIds); // (B, T, H)
        NDArray logits = logits(hidden); // (B, T, V)
        return new EncoderOutput(logits, hidden);
    }

    /** Last hidden state (batch, seq, hidden) of the encoder stack. Arguments as in {@link #forward}. */
    public NDArray hidden(NDArray inputIds, NDArray attentionMask, NDArray tokenTypeIds) {
        Shape shape = inputIds.getShape();
        if (shape.dimension() != 2) {
            throw new IllegalArgumentException("inputIds must be (batch, seq), got " + shape);
        }
        long seq = shape.get(1);
        if (seq > config.maxSequenceLength()) {
            throw new IllegalArgumentException("sequence length " + seq + " exceeds the model's "
                    + config.maxSequenceLength() + " positions");
        }
        NDManager out = inputIds.getManager();
        try (NDManager scope = out.newSubManager(device())) {
            NDArray ids = inScope(inputIds, scope).toType(DataType.INT64, false); // (B, T)
            NDArray mask = attentionMask == null ? null : inScope(attentionMask, scope);
            NDArray types = tokenTypeIds == null ? null : inScope(tokenTypeIds, scope);
            NDArray x = embed(scope, ids, types); // (B, T, H)
            NDArray bias = attentionBias(scope, ids, mask); // (B, 1, 1, T)
            for (ModelWeights.Layer layer : weights.layers()) {
                NDArray next = layer(x, bias, layer);
                x.close();
                x = next;
            }
            x.attach(out);
            return x;
        }
    }

    /**
     * Logits only where a token is to be chosen: the encoder over the whole canvas, the LM head
     * over the rows at {@code positions}.
     *
     * @param inputIds (B, L) token ids
     * @param attentionMask (B, L) 1 for tokens, 0 for padding
     * @param positions (M) int64 flat indices {@code row * L + column}
     * @return (M, V) logits in the manager of {@code inputIds}
     */
    public NDArray logitsAt(NDArray inputIds, NDArray attentionMask, NDArray positions) {
        NDArray hidden = hidden(inputIds, attentionMask, null); // (B, L, H)
        NDArray rows = hidden.reshape(-1, config.hiddenSize()).get(new NDIndex("{}", positions)); // (M, H)
        return logits(rows); // (M, V)
    }

    /**
     * Logits at chosen positions of canvases given as Java arrays, for generation: no autograd
     * graph, fewer native ops, the last layer only where asked ({@link InferencePass}). The values
     * of {@link #logitsAt} up to float rounding.
     *
     * @param ids (B, L) token ids
     * @param attention (B, L) 1 for tokens, 0 for padding
     * @param positions (M) flat indices {@code row * L + column}
     * @return (M, V) logits in {@code manager}
     */
    public NDArray predictAt(NDManager manager, long[][] ids, long[][] attention, long[] positions) {
        InferencePass pass = inferencePass();
        return GradMode.disabled(() -> pass.logitsAt(manager, ids, attention, positions));
    }

    private synchronized InferencePass inferencePass() {
        if (inference == null) {
            inference = new InferencePass(this, weights);
        }
        return inference;
    }

    /**
     * The masked-LM head: scores over the vocabulary for hidden states of any leading shape,
     * (..., hidden) -> (..., vocab). Pass only the rows that need a prediction.
     */
    public NDArray logits(NDArray hidden) {
        NDManager out = hidden.getManager();
        try (NDManager scope = out.newSubManager(device())) {
            hidden.tempAttach(scope);
            NDArray h = Linear.linear(hidden, weights.headDense().weight(), weights.headDense().bias())
                    .singletonOrThrow(); // (..., H)
            HiddenAct act = config.modelType().headFollowsHiddenAct() ? config.hiddenAct() : HiddenAct.GELU;
            h = act.apply(h);
            h = norm(h, weights.headNorm());
            NDArray logits = Linear.linear(h, weights.decoderWeight(), weights.decoderBias())
                    .singletonOrThrow(); // (..., V)
            logits.attach(out);
            return logits;
        }
    }

    /** Word + position + token-type embeddings, then LayerNorm: (B, T) -> (B, T, H). */
    private NDArray embed(NDManager scope, NDArray ids, NDArray tokenTypes) {
        int pad = config.padTokenId();
        NDArray real = ids.neq(pad); // (B, T) bool
        NDArray positions;
        if (config.modelType() == ModelType.ROBERTA) {
            // RoBERTa: pad_id + 1, pad_id + 2, ... over non-pad tokens; pad tokens get pad_id.
            NDArray realLong = real.toType(DataType.INT64, false);
            positions = realLong.cumSum(1).muli(realLong).addi(pad); // (B, T)
        } else {
            positions = scope.arange(0, (int) ids.getShape().get(1), 1, DataType.INT64)
                    .expandDims(0); // (1, T)
        }
        NDArray types = tokenTypes == null
                ? scope.zeros(ids.getShape(), DataType.INT64)
                : tokenTypes.toType(DataType.INT64, false); // (B, T)
        NDArray keep = real.expandDims(-1).toType(dataType, false); // (B, T, 1)
        NDArray word = paddingAware(Layers.lookup(ids, weights.wordEmbeddings()), keep);
        NDArray pos = Layers.lookup(positions, weights.positionEmbeddings());
        if (config.modelType() == ModelType.ROBERTA) {
            pos = paddingAware(pos, keep);
        }
        NDArray x = word.add(pos).addi(Layers.lookup(types, weights.tokenTypeEmbeddings()));
        return norm(x, weights.embeddingsNorm());
    }

    /**
     * HF builds these tables with {@code padding_idx}: the pad row is used in the forward pass but
     * receives no gradient. Same values; the gradient flows only through real positions.
     */
    private static NDArray paddingAware(NDArray embedded, NDArray keep) {
        NDArray frozen = embedded.stopGradient();
        return embedded.mul(keep).addi(frozen.mul(keep.sub(1).negi()));
    }

    /** Additive mask over keys: 0 for real tokens, the dtype's lowest value for padding. */
    private NDArray attentionBias(NDManager scope, NDArray ids, NDArray mask) {
        Shape shape = ids.getShape();
        if (mask == null) {
            return scope.zeros(new Shape(shape.get(0), 1, 1, shape.get(1)), dataType);
        }
        if (!mask.getShape().equals(shape)) {
            throw new IllegalArgumentException("attentionMask " + mask.getShape()
                    + " does not match inputIds " + shape);
        }
        float lowest = dataType == DataType.FLOAT16 ? -65504f : -Float.MAX_VALUE;
        NDArray padding = mask.eq(0).toType(dataType, false); // (B, T)
        return padding.muli(lowest).reshape(shape.get(0), 1, 1, shape.get(1));
    }

    /** One post-LN transformer layer: (B, T, H) -> (B, T, H). Temporaries freed on return. */
    private NDArray layer(NDArray x, NDArray bias, ModelWeights.Layer w) {
        NDManager parent = x.getManager();
        try (NDManager scope = parent.newSubManager()) {
            x.tempAttach(scope);
            bias.tempAttach(scope);
            NDArray attention = selfAttention(x, bias, w); // (B, T, H)
            NDArray h = norm(attention.addi(x), w.attentionNorm()); // (B, T, H)
            NDArray ff = config.hiddenAct().apply(dense(h, w.intermediate())); // (B, T, F)
            NDArray y = norm(dense(ff, w.output()).addi(h), w.outputNorm()); // (B, T, H)
            y.attach(parent);
            return y;
        }
    }

    private NDArray selfAttention(NDArray x, NDArray bias, ModelWeights.Layer w) {
        Shape shape = x.getShape();
        long batch = shape.get(0);
        long seq = shape.get(1);
        int heads = config.numAttentionHeads();
        int headSize = config.headSize();
        NDArray q = Scalars.mul(heads(dense(x, w.query()), heads, headSize), // (B, nH, T, dH)
                (float) (1.0 / Math.sqrt(headSize)));
        NDArray k = heads(dense(x, w.key()), heads, headSize); // (B, nH, T, dH)
        NDArray v = heads(dense(x, w.value()), heads, headSize); // (B, nH, T, dH)
        NDArray scores = q.matMul(k.transpose(0, 1, 3, 2)).addi(bias); // (B, nH, T, T)
        NDArray probs = scores.softmax(-1); // (B, nH, T, T)
        NDArray context = probs.matMul(v) // (B, nH, T, dH)
                .transpose(0, 2, 1, 3)
                .reshape(batch, seq, (long) heads * headSize); // (B, T, H)
        return dense(context, w.attentionOut());
    }

    /** (B, T, H) -> (B, nH, T, dH) */
    private static NDArray heads(NDArray x, int heads, int headSize) {
        Shape s = x.getShape();
        return x.reshape(s.get(0), s.get(1), heads, headSize).transpose(0, 2, 1, 3);
    }

    private static NDArray dense(NDArray x, ModelWeights.Dense d) {
        return Linear.linear(x, d.weight(), d.bias()).singletonOrThrow();
    }

    private NDArray norm(NDArray x, ModelWeights.Norm n) {
        return Layers.layerNorm(x, n, config.hiddenSize(), config.layerNormEps());
    }

    /** Brings a caller's array into {@code scope} (temporarily) and onto the model's device. */
    private NDArray inScope(NDArray array, NDManager scope) {
        return Layers.inScope(array, scope, device());
    }

    @Override
    public void close() {
        manager.close();
    }
}

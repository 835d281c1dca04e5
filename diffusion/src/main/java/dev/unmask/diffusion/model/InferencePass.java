package dev.unmask.diffusion.model;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;

/**
 * Logits at chosen canvas positions for generation, with no autograd graph: the values of
 * {@link MaskedLanguageModel#logitsAt} (up to float rounding in the last layer) in fewer native
 * ops and less arithmetic, because a denoising step is mostly per-op overhead at small batch.
 * <ul>
 *   <li>position ids come from the Java canvas (RoBERTa: pad id + the count of non-pad tokens so
 *       far, pad id at pad tokens), token type 0's row is added directly, and the padding-gradient
 *       guard of the training embeddings (a no-op on values) is left out;
 *   <li>no attention bias at all when no canvas is padded (the bias would be all zeros);
 *   <li>the attention scale is one constant per model, not a new tensor per layer and call;
 *   <li>the last layer runs past attention (output projection, feed-forward, both norms) only at
 *       the rows whose logits are asked for: no other row of its output is read.
 * </ul>
 */
final class InferencePass {
    private final MaskedLanguageModel model;
    private final EncoderConfig config;
    private final ModelWeights weights;
    private final NDArray scale; // () 1 / sqrt(head size), in the model's dtype
    private final NDArray typeRow; // (H) the embedding of token type 0

    InferencePass(MaskedLanguageModel model, ModelWeights weights) {
        this.model = model;
        this.config = model.config();
        this.weights = weights;
        NDManager owner = weights.wordEmbeddings().getManager();
        this.scale = owner.full(new Shape(), (float) (1.0 / Math.sqrt(config.headSize())), model.dataType());
        this.typeRow = weights.tokenTypeEmbeddings().get(0);
    }

    /**
     * @param ids (B, L) canvases
     * @param attention (B, L) 1 for tokens, 0 for padding
     * @param rows (M) flat indices {@code row * L + column}
     * @return (M, V) logits in {@code out}
     */
    NDArray logitsAt(NDManager out, long[][] ids, long[][] attention, long[] rows) {
        int batch = ids.length;
        int length = batch == 0 ? 0 : ids[0].length;
        if (length > config.maxSequenceLength()) {
            throw new IllegalArgumentException("sequence length " + length + " exceeds the model's "
                    + config.maxSequenceLength() + " positions");
        }
        Device device = model.device();
        try (NDManager scope = out.newSubManager(device)) {
            NDArray idArray = scope.create(ids); // (B, L)
            NDArray x = embed(scope, idArray, positions(ids)); // (B, L, H)
            NDArray bias = attentionBias(scope, attention); // (B, 1, 1, L) or null
            NDArray rowArray = scope.create(rows); // (M)
            int layers = weights.layers().size();
            for (int i = 0; i < layers; i++) {
                NDArray next = layer(x, bias, weights.layers().get(i), i == layers - 1 ? rowArray : null);
                x.close();
                x = next; // (B, L, H); after the last layer (M, H)
            }
            NDArray logits = model.logits(x); // (M, V)
            logits.attach(out);
            return logits;
        }
    }

    /** HF's position ids: RoBERTa counts non-pad tokens from pad id + 1 (pad tokens get pad id), BERT 0.. */
    private long[][] positions(long[][] ids) {
        int pad = config.padTokenId();
        boolean roberta = config.modelType() == ModelType.ROBERTA;
        long[][] out = new long[ids.length][];
        for (int b = 0; b < ids.length; b++) {
            long[] row = new long[ids[b].length];
            long count = 0;
            for (int i = 0; i < row.length; i++) {
                if (!roberta) {
                    row[i] = i;
                } else if (ids[b][i] != pad) {
                    row[i] = pad + ++count;
                } else {
                    row[i] = pad;
                }
            }
            out[b] = row;
        }
        return out;
    }

    /** Word + position + type-0 embeddings, then LayerNorm: (B, L) -> (B, L, H). */
    private NDArray embed(NDManager scope, NDArray ids, long[][] positions) {
        NDArray word = Layers.lookup(ids, weights.wordEmbeddings()); // (B, L, H)
        NDArray pos = Layers.lookup(scope.create(positions), weights.positionEmbeddings()); // (B, L, H)
        NDArray x = word.addi(pos).addi(typeRow);
        return norm(x, weights.embeddingsNorm());
    }

    /** Additive mask over keys, the dtype's lowest value at padding; null when nothing is padded. */
    private NDArray attentionBias(NDManager scope, long[][] attention) {
        boolean padded = false;
        for (long[] row : attention) {
            for (long a : row) {
                padded |= a == 0;
            }
        }
        if (!padded) {
            return null;
        }
        DataType type = model.dataType();
        float lowest = type == DataType.FLOAT16 ? -65504f : -Float.MAX_VALUE;
        NDArray padding = scope.create(attention).eq(0).toType(type, false); // (B, L)
        return padding.muli(lowest).reshape(attention.length, 1, 1, attention[0].length);
    }

    /**
     * One post-LN layer: (B, L, H) -> (B, L, H), or with {@code rows} (M) -> (M, H), only those
     * rows past attention. Temporaries freed on return.
     */
    private NDArray layer(NDArray x, NDArray bias, ModelWeights.Layer w, NDArray rows) {
        NDManager parent = x.getManager();
        try (NDManager scope = parent.newSubManager()) {
            x.tempAttach(scope);
            Shape shape = x.getShape();
            long batch = shape.get(0);
            long seq = shape.get(1);
            int hidden = config.hiddenSize();
            NDArray q = heads(dense(x, w.query())).muli(scale); // (B, nH, L, dH)
            NDArray k = heads(dense(x, w.key())); // (B, nH, L, dH)
            NDArray v = heads(dense(x, w.value())); // (B, nH, L, dH)
            NDArray scores = q.matMul(k.transpose(0, 1, 3, 2)); // (B, nH, L, L)
            if (bias != null) {
                scores.addi(bias);
            }
            NDArray context = scores.softmax(-1).matMul(v) // (B, nH, L, dH)
                    .transpose(0, 2, 1, 3)
                    .reshape(batch, seq, hidden); // (B, L, H)
            NDArray residual = x;
            if (rows != null) {
                NDIndex at = new NDIndex("{}", rows);
                context = context.reshape(-1, hidden).get(at); // (M, H)
                residual = x.reshape(-1, hidden).get(at); // (M, H)
            }
            NDArray h = norm(dense(context, w.attentionOut()).addi(residual), w.attentionNorm());
            NDArray ff = config.hiddenAct().apply(dense(h, w.intermediate())); // (..., F)
            NDArray y = norm(dense(ff, w.output()).addi(h), w.outputNorm()); // (..., H)
            y.attach(parent);
            return y;
        }
    }

    /** (B, L, H) -> (B, nH, L, dH) */
    private NDArray heads(NDArray x) {
        Shape s = x.getShape();
        return x.reshape(s.get(0), s.get(1), config.numAttentionHeads(), config.headSize()).transpose(0, 2, 1, 3);
    }

    private static NDArray dense(NDArray x, ModelWeights.Dense d) {
        return Linear.linear(x, d.weight(), d.bias()).singletonOrThrow();
    }

    private NDArray norm(NDArray x, ModelWeights.Norm n) {
        return Layers.layerNorm(x, n, config.hiddenSize(), config.layerNormEps());
    }
}

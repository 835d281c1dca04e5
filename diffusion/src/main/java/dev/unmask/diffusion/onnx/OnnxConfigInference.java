package dev.unmask.diffusion.onnx;

import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.unmask.diffusion.checkpoint.CheckpointException;
import dev.unmask.diffusion.onnx.OnnxEncoderImport.HfTensor;
import dev.unmask.diffusion.util.Json;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The HF {@code config.json} of an exported BERT encoder, read off its tensors and graph: sizes
 * from the embedding and layer shapes, the head count from the attention reshape
 * ({@code [batch, seq, heads, head_size]}) or else the score scale {@code sqrt(head_size)}, the
 * LayerNorm epsilon from the constant added to the variance (or a LayerNormalization node's
 * attribute), the activation from the feed-forward ops (Erf: gelu, Tanh: gelu_new, Relu: relu).
 */
final class OnnxConfigInference {
    private static final Pattern LAYER = Pattern.compile("^encoder\\.layer\\.(\\d+)\\.");

    private OnnxConfigInference() {}

    static ObjectNode infer(OnnxGraph graph, Map<String, HfTensor> tensors, int padId) throws CheckpointException {
        if (graph.nodes().stream().anyMatch(n -> n.opType().equals("CumSum"))) {
            throw new CheckpointException("the graph computes position ids with CumSum (a RoBERTa-style export);"
                    + " ONNX import reads BERT encoders");
        }
        String root = graph.nodes().stream().anyMatch(n -> n.name().startsWith("/bert/encoder/")) ? "/bert" : "";
        Shape word = shape(tensors, "embeddings.word_embeddings.weight");
        int hidden = (int) word.get(1);
        int layers = 0;
        for (String name : tensors.keySet()) {
            Matcher m = LAYER.matcher(name);
            if (m.find()) {
                layers = Math.max(layers, Integer.parseInt(m.group(1)) + 1);
            }
        }
        ObjectNode json = Json.MAPPER.createObjectNode();
        json.putArray("architectures").add("BertForMaskedLM");
        json.put("model_type", "bert");
        json.put("vocab_size", word.get(0));
        json.put("hidden_size", hidden);
        json.put("num_hidden_layers", layers);
        json.put("num_attention_heads", heads(graph, hidden, root + "/encoder/layer.0/attention/self/"));
        json.put("intermediate_size", shape(tensors, "encoder.layer.0.intermediate.dense.bias").get(0));
        json.put("max_position_embeddings", shape(tensors, "embeddings.position_embeddings.weight").get(0));
        json.put("type_vocab_size", shape(tensors, "embeddings.token_type_embeddings.weight").get(0));
        json.put("layer_norm_eps", epsilon(graph, root + "/embeddings/LayerNorm/"));
        json.put("hidden_act", activation(graph, root + "/encoder/layer.0/intermediate/"));
        json.put("pad_token_id", Math.max(padId, 0));
        json.put("tie_word_embeddings", true);
        json.put("initializer_range", 0.02);
        return json;
    }

    private static Shape shape(Map<String, HfTensor> tensors, String name) throws CheckpointException {
        HfTensor t = tensors.get(name);
        if (t == null) {
            throw new CheckpointException("the graph has no tensor " + name + " (nor a MatMul node that names it):"
                    + " not a BERT encoder export");
        }
        return t.shape();
    }

    /** From the first attention's [batch, seq, heads, head_size] reshape, else its sqrt(head_size) scale. */
    static int heads(OnnxGraph graph, int hidden, String scope) throws CheckpointException {
        for (OnnxNode node : graph.nodes()) {
            boolean reshape = node.opType().equals("Reshape") && node.inputs().size() == 2;
            if (reshape && node.name().startsWith(scope)) {
                long[] shape = reshapeTarget(graph, node.inputs().get(1));
                int n = shape.length;
                if (n == 4 && shape[2] > 0 && shape[3] > 0 && shape[2] * shape[3] == hidden) {
                    return (int) shape[2];
                }
            }
        }
        for (OnnxNode node : graph.nodes()) {
            boolean scale = node.opType().equals("Div") || node.opType().equals("Mul");
            if (scale && node.name().startsWith(scope)) {
                for (String input : node.inputs()) {
                    Optional<OnnxTensor> c = graph.constant(input).filter(t -> t.size() == 1
                            && t.dataType() == OnnxTensor.FLOAT);
                    if (c.isPresent()) {
                        double v = c.get().floats()[0];
                        double headSize = node.opType().equals("Div") ? v * v : 1 / (v * v);
                        long rounded = Math.round(headSize);
                        if (rounded > 0 && Math.abs(headSize - rounded) < 1e-3 && hidden % rounded == 0) {
                            return (int) (hidden / rounded);
                        }
                    }
                }
            }
        }
        throw new CheckpointException("cannot infer num_attention_heads: no [batch, seq, heads, head_size] reshape"
                + " or 1/sqrt(head_size) scale under " + scope);
    }

    /** A reshape's target: a constant shape, or a Concat of pieces (-1 where a piece is computed). */
    private static long[] reshapeTarget(OnnxGraph graph, String input) {
        Optional<OnnxTensor> constant = graph.constant(input);
        if (constant.isPresent()) {
            return constant.get().longs();
        }
        Optional<OnnxNode> concat = graph.producer(input).filter(n -> n.opType().equals("Concat"));
        if (concat.isEmpty()) {
            return new long[0];
        }
        List<String> pieces = concat.get().inputs();
        long[] shape = new long[pieces.size()];
        for (int i = 0; i < shape.length; i++) {
            Optional<OnnxTensor> piece = graph.constant(pieces.get(i)).filter(t -> t.size() == 1);
            shape[i] = piece.map(t -> t.longs()[0]).orElse(-1L);
        }
        return shape;
    }

    /** The epsilon of the embeddings' LayerNorm. */
    static double epsilon(OnnxGraph graph, String scope) throws CheckpointException {
        for (OnnxNode node : graph.nodes()) {
            if (!node.name().startsWith(scope)) {
                continue;
            }
            if (node.opType().equals("LayerNormalization")) {
                return node.floatAttributes().getOrDefault("epsilon", 1e-5f);
            }
            if (node.opType().equals("Add")) {
                boolean onVariance = node.inputs().stream().anyMatch(i -> graph.producer(i)
                        .filter(p -> p.opType().equals("ReduceMean")).isPresent());
                for (String input : node.inputs()) {
                    Optional<OnnxTensor> c = graph.constant(input).filter(t -> t.size() == 1
                            && t.dataType() == OnnxTensor.FLOAT);
                    if (onVariance && c.isPresent()) {
                        return c.get().floats()[0];
                    }
                }
            }
        }
        throw new CheckpointException("cannot infer layer_norm_eps: no LayerNormalization node and no constant added"
                + " to the variance under " + scope);
    }

    /** The feed-forward activation of the first layer. */
    static String activation(OnnxGraph graph, String scope) throws CheckpointException {
        for (OnnxNode node : graph.nodes()) {
            if (!node.name().startsWith(scope)) {
                continue;
            }
            switch (node.opType()) {
                case "Erf", "Gelu" -> {
                    return "gelu";
                }
                case "Tanh", "FastGelu" -> {
                    return "gelu_new";
                }
                case "Relu" -> {
                    return "relu";
                }
                default -> { }
            }
        }
        throw new CheckpointException("cannot infer hidden_act: no Erf, Gelu, Tanh or Relu under " + scope);
    }
}

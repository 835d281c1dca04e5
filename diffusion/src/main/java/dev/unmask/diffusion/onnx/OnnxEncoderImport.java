package dev.unmask.diffusion.onnx;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.unmask.diffusion.checkpoint.CheckpointException;
import dev.unmask.diffusion.checkpoint.HfCheckpointWriter;
import dev.unmask.diffusion.model.EncoderConfig;
import dev.unmask.diffusion.model.MaskedLanguageModel;
import dev.unmask.diffusion.model.ModelInitializer;
import dev.unmask.diffusion.model.ModelType;
import dev.unmask.diffusion.model.ParameterLayout;
import dev.unmask.diffusion.tokenizer.TextTokenizer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A BERT encoder (or masked LM) exported to ONNX by {@code torch.onnx} (as {@code optimum} and the
 * sentence-transformers exports do) back into an HF {@code BertForMaskedLM} folder: tensors that keep their
 * HF names are taken as they are; MatMul weights, which the exporter stores [in, out] under names
 * like {@code onnx::MatMul_787}, are named after the node that uses them
 * ({@code /encoder/layer.0/attention/self/query/MatMul} -> {@code encoder.layer.0.attention.self.query.weight})
 * and transposed to [out, in]. The config comes from tensor shapes and the graph
 * ({@link OnnxConfigInference}); the masked-LM head, which an encoder export does not have, is
 * initialised fresh as {@code transformers} does ({@link ModelInitializer#initializeMissing}); a
 * {@code BertForMaskedLM} export ({@code /bert/...} nodes, {@code cls.*} tensors) keeps its own.
 */
public final class OnnxEncoderImport {
    /** A Linear's MatMul, under the base model ({@code /encoder/...}, {@code /bert/encoder/...}) or the head ({@code /cls/...}). */
    private static final Pattern MATMUL_NODE = Pattern.compile("^/(?:bert/)?((?:embeddings|encoder|cls)/.+)/MatMul$");
    private static final String FAMILY = ModelType.BERT.hfName() + ".";

    private OnnxEncoderImport() {}

    /**
     * What an import wrote.
     *
     * @param initialised the head tensors initialised fresh
     * @param ignored initializers of the graph that are not encoder parameters (a pooler, buffers)
     */
    public record Result(Path folder, EncoderConfig config, long parameters, List<String> initialised,
            List<String> ignored) {}

    public static Result run(Path onnxFile, Path tokenizerJson, Path out, long seed) throws IOException {
        OnnxGraph graph = OnnxGraph.read(onnxFile);
        List<String> ignored = new ArrayList<>();
        Map<String, HfTensor> tensors = hfTensors(graph, ignored);
        try (TextTokenizer tokenizer = TextTokenizer.load(tokenizerJson);
                NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            ObjectNode json = OnnxConfigInference.infer(graph, tensors, tokenizer.specials().padId());
            EncoderConfig config = EncoderConfig.fromJson(json);
            if (tokenizer.vocabSize() > config.vocabSize()) {
                throw new CheckpointException(tokenizerJson + " has " + tokenizer.vocabSize() + " tokens but "
                        + onnxFile + " embeds " + config.vocabSize());
            }
            ParameterLayout layout = ParameterLayout.of(config);
            Map<String, NDArray> params = new LinkedHashMap<>();
            List<String> problems = new ArrayList<>();
            for (Map.Entry<String, HfTensor> e : tensors.entrySet()) {
                String name = e.getKey().startsWith("cls.") ? e.getKey() : FAMILY + e.getKey();
                if (!layout.specs().containsKey(name)) {
                    ignored.add(e.getValue().source());
                    continue;
                }
                Shape expected = layout.spec(name).shape();
                if (!expected.equals(e.getValue().shape())) {
                    problems.add(e.getValue().source() + " (" + name + ") has shape " + e.getValue().shape()
                            + ", expected " + expected);
                    continue;
                }
                params.put(name, manager.create(e.getValue().values(), expected));
            }
            List<String> head = layout.headNames();
            for (String name : layout.names()) {
                if (!params.containsKey(name) && !head.contains(name)) {
                    problems.add("no tensor in the graph for " + name);
                }
            }
            if (!problems.isEmpty()) {
                throw new CheckpointException(onnxFile + ": " + String.join("; ", problems));
            }
            // an encoder export has no head; a masked-LM export keeps its own
            List<String> fresh = head.stream().filter(name -> !params.containsKey(name)).toList();
            params.putAll(ModelInitializer.initializeMissing(config, fresh, manager, DataType.FLOAT32, seed));
            try (MaskedLanguageModel model = MaskedLanguageModel.of(config, params, manager.newSubManager())) {
                HfCheckpointWriter.save(model, tokenizer, out);
                return new Result(out, config, layout.parameterCount(), fresh, List.copyOf(new TreeSet<>(ignored)));
            }
        }
    }

    /** A float tensor under its HF name (without the family prefix), [out, in] for weights. */
    record HfTensor(String source, Shape shape, float[] values) {}

    /** Every float initializer of the graph by HF name (the encoder's without the {@code bert.} prefix). */
    static Map<String, HfTensor> hfTensors(OnnxGraph graph, List<String> ignored) {
        Map<String, HfTensor> out = new LinkedHashMap<>();
        for (OnnxNode node : graph.nodes()) {
            Matcher m = MATMUL_NODE.matcher(node.name());
            if (!node.opType().equals("MatMul") || !m.matches() || node.inputs().size() != 2) {
                continue;
            }
            OnnxTensor weight = graph.initializers().get(node.inputs().get(1));
            if (weight == null || weight.dims().length != 2 || weight.dataType() != OnnxTensor.FLOAT) {
                continue; // activations times activations (attention scores)
            }
            String name = m.group(1).replace('/', '.') + ".weight"; // (out, in) after the transpose
            out.put(name, transposed(weight));
        }
        for (OnnxTensor t : graph.initializers().values()) {
            String name = t.name().startsWith(FAMILY) ? t.name().substring(FAMILY.length()) : t.name();
            boolean hfName = name.startsWith("embeddings.") || name.startsWith("encoder.") || name.startsWith("cls.");
            if (hfName && t.dataType() == OnnxTensor.FLOAT) {
                out.putIfAbsent(name, new HfTensor(t.name(), new Shape(t.dims()), t.floats()));
            } else if (out.values().stream().noneMatch(h -> h.source().equals(t.name()))) {
                ignored.add(t.name());
            }
        }
        return out;
    }

    /** (in, out) as stored for MatMul to (out, in) as HF's Linear holds it. */
    private static HfTensor transposed(OnnxTensor weight) {
        int in = Math.toIntExact(weight.dims()[0]);
        int outDim = Math.toIntExact(weight.dims()[1]);
        float[] src = weight.floats(); // (in, out)
        float[] dst = new float[src.length]; // (out, in)
        for (int i = 0; i < in; i++) {
            for (int o = 0; o < outDim; o++) {
                dst[o * in + i] = src[i * outDim + o];
            }
        }
        return new HfTensor(weight.name(), new Shape(outDim, in), dst);
    }
}

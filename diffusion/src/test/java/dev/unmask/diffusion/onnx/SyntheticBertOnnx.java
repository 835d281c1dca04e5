package dev.unmask.diffusion.onnx;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import dev.unmask.diffusion.Fixtures;
import dev.unmask.diffusion.checkpoint.HfCheckpointReader;
import dev.unmask.diffusion.checkpoint.SafetensorsReader;
import dev.unmask.diffusion.model.EncoderConfig;
import dev.unmask.diffusion.model.ParameterLayout;
import dev.unmask.diffusion.model.ParameterSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The tiny-bert fixture as {@code torch.onnx} would export it: Linear weights as
 * {@code onnx::MatMul_N} initializers stored [in, out] and named by their MatMul nodes, other
 * tensors under their HF names, and the few graph nodes the config is read from (attention
 * reshape to [batch, seq, 4, 16], the LayerNorm epsilon, Erf). Only what import reads: not runnable.
 */
final class SyntheticBertOnnx {
    private SyntheticBertOnnx() {}

    /**
     * @param maskedLm a {@code BertForMaskedLM} export ({@code /bert/...} nodes, {@code bert.}
     *     tensors, the {@code cls.} head) rather than a {@code BertModel} one (no prefix, no head)
     */
    static Path write(Path file, boolean maskedLm) throws IOException {
        Path fixture = Fixtures.model("tiny-bert");
        EncoderConfig config = HfCheckpointReader.readConfig(fixture);
        ParameterLayout layout = ParameterLayout.of(config);
        String root = maskedLm ? "/bert" : "";
        OnnxProto graph = new OnnxProto().string(2, "main_graph");
        int matmuls = 0;
        try (NDManager manager = NDManager.newBaseManager(Device.cpu());
                SafetensorsReader reader = SafetensorsReader.open(fixture.resolve("model.safetensors"))) {
            for (String name : reader.entries().keySet()) {
                boolean head = !name.startsWith("bert.");
                if (head && !maskedLm) {
                    continue;
                }
                String saved = maskedLm || head ? name : name.substring("bert.".length());
                float[] values = reader.read(name, manager).toFloatArray();
                ParameterSpec spec = layout.spec(name);
                if (spec.kind() != ParameterSpec.Kind.LINEAR_WEIGHT) {
                    graph.message(5, OnnxProto.tensor(saved, spec.shape().getShape(), OnnxTensor.FLOAT,
                            OnnxProto.floatBytes(values)));
                    continue;
                }
                int out = (int) spec.shape().get(0);
                int in = (int) spec.shape().get(1);
                float[] stored = new float[values.length]; // (in, out)
                for (int o = 0; o < out; o++) {
                    for (int i = 0; i < in; i++) {
                        stored[i * out + o] = values[o * in + i];
                    }
                }
                String init = "onnx::MatMul_" + (700 + matmuls++);
                graph.message(5, OnnxProto.tensor(init, new long[] {in, out}, OnnxTensor.FLOAT,
                        OnnxProto.floatBytes(stored)));
                String module = "/" + saved.substring(0, saved.length() - ".weight".length()).replace('.', '/')
                        .replaceAll("layer/(\\d+)", "layer.$1");
                graph.message(1, OnnxProto.node(module + "/MatMul", "MatMul",
                        new String[] {module + "/input", init}, new String[] {module + "/MatMul_output_0"}, null));
            }
        }
        long positions = config.maxPositionEmbeddings();
        graph.message(5, OnnxProto.tensor((maskedLm ? "bert." : "") + "embeddings.position_ids",
                new long[] {1, positions}, OnnxTensor.INT64, OnnxProto.longBytes(new long[(int) positions])));
        String attention = root + "/encoder/layer.0/attention/self/";
        graph.message(1, OnnxProto.node(attention + "Constant_2", "Constant", new String[0], new String[] {"heads"},
                OnnxProto.tensor("", new long[] {1}, OnnxTensor.INT64, OnnxProto.longBytes(4))));
        graph.message(1, OnnxProto.node(attention + "Constant_3", "Constant", new String[0], new String[] {"size"},
                OnnxProto.tensor("", new long[] {1}, OnnxTensor.INT64, OnnxProto.longBytes(16))));
        graph.message(1, OnnxProto.node(attention + "Concat", "Concat", new String[] {"batch", "seq", "heads", "size"},
                new String[] {"shape"}, null));
        graph.message(1, OnnxProto.node(attention + "Reshape", "Reshape", new String[] {"key", "shape"},
                new String[] {"per_head"}, null));
        String norm = root + "/embeddings/LayerNorm/";
        graph.message(1, OnnxProto.node(norm + "ReduceMean_1", "ReduceMean", new String[] {"squares"},
                new String[] {"variance"}, null));
        graph.message(1, OnnxProto.node(norm + "Constant_1", "Constant", new String[0], new String[] {"eps"},
                OnnxProto.tensor("", new long[0], OnnxTensor.FLOAT, OnnxProto.floatBytes(1e-12f))));
        graph.message(1, OnnxProto.node(norm + "Add", "Add", new String[] {"variance", "eps"},
                new String[] {"variance_eps"}, null));
        graph.message(1, OnnxProto.node(root + "/encoder/layer.0/intermediate/intermediate_act_fn/Erf", "Erf",
                new String[] {"x"}, new String[] {"erf"}, null));
        OnnxProto model = new OnnxProto().varint(1, 8).string(2, "pytorch").message(7, graph);
        return Files.write(file, model.toByteArray());
    }
}

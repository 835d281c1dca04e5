package dev.unmask.diffusion.onnx;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An ONNX {@code NodeProto}: one operation of the graph, named by the exporter after the module it
 * came from ({@code /encoder/layer.0/attention/self/query/MatMul}).
 *
 * @param floatAttributes the node's float attributes ({@code epsilon})
 * @param tensorAttributes the node's tensor attributes (a Constant's {@code value})
 */
public record OnnxNode(String name, String opType, List<String> inputs, List<String> outputs,
        Map<String, Float> floatAttributes, Map<String, OnnxTensor> tensorAttributes) {

    static OnnxNode parse(ByteBuffer message) {
        ProtoReader r = new ProtoReader(message);
        String name = "";
        String op = "";
        List<String> inputs = new ArrayList<>();
        List<String> outputs = new ArrayList<>();
        Map<String, Float> floats = new LinkedHashMap<>();
        Map<String, OnnxTensor> tensors = new LinkedHashMap<>();
        while (r.hasMore()) {
            switch (r.nextField()) {
                case 1 -> inputs.add(r.string());
                case 2 -> outputs.add(r.string());
                case 3 -> name = r.string();
                case 4 -> op = r.string();
                case 5 -> attribute(r.bytes(), floats, tensors);
                default -> r.skip();
            }
        }
        return new OnnxNode(name, op, List.copyOf(inputs), List.copyOf(outputs), floats, tensors);
    }

    /** An {@code AttributeProto}: name (1), f (2), t (5); other kinds are not needed. */
    private static void attribute(ByteBuffer message, Map<String, Float> floats, Map<String, OnnxTensor> tensors) {
        ProtoReader r = new ProtoReader(message);
        String name = "";
        Float f = null;
        OnnxTensor t = null;
        while (r.hasMore()) {
            switch (r.nextField()) {
                case 1 -> name = r.string();
                case 2 -> f = r.fixed32Float();
                case 5 -> t = OnnxTensor.parse(r.bytes());
                default -> r.skip();
            }
        }
        if (f != null) {
            floats.put(name, f);
        }
        if (t != null) {
            tensors.put(name, t);
        }
    }
}

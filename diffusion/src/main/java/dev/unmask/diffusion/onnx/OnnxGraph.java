package dev.unmask.diffusion.onnx;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The graph of an ONNX model file ({@code ModelProto.graph}): nodes in order, initializers by
 * name, and the names of the graph's inputs and outputs. The file is memory-mapped; tensors are
 * views of it.
 */
public record OnnxGraph(List<OnnxNode> nodes, Map<String, OnnxTensor> initializers, List<String> inputs,
        List<String> outputs) {

    public static OnnxGraph read(Path file) throws IOException {
        ByteBuffer model;
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            if (channel.size() > Integer.MAX_VALUE) {
                throw new IOException(file + " is " + channel.size() + " bytes; import reads .onnx files under 2 GB");
            }
            model = channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size());
        }
        try {
            ProtoReader r = new ProtoReader(model);
            while (r.hasMore()) {
                if (r.nextField() == 7 && r.wireType() == ProtoReader.LENGTH_DELIMITED) {
                    return parseGraph(r.bytes());
                }
                r.skip();
            }
        } catch (RuntimeException e) {
            throw new IOException(file + " is not a readable ONNX model: " + e.getMessage(), e);
        }
        throw new IOException(file + " has no graph: not an ONNX model");
    }

    private static OnnxGraph parseGraph(ByteBuffer message) {
        ProtoReader r = new ProtoReader(message);
        List<OnnxNode> nodes = new ArrayList<>();
        Map<String, OnnxTensor> initializers = new LinkedHashMap<>();
        List<String> inputs = new ArrayList<>();
        List<String> outputs = new ArrayList<>();
        while (r.hasMore()) {
            switch (r.nextField()) {
                case 1 -> nodes.add(OnnxNode.parse(r.bytes()));
                case 5 -> {
                    OnnxTensor t = OnnxTensor.parse(r.bytes());
                    initializers.put(t.name(), t);
                }
                case 11 -> inputs.add(valueName(r.bytes()));
                case 12 -> outputs.add(valueName(r.bytes()));
                default -> r.skip();
            }
        }
        return new OnnxGraph(List.copyOf(nodes), initializers, List.copyOf(inputs), List.copyOf(outputs));
    }

    private static String valueName(ByteBuffer valueInfo) {
        ProtoReader r = new ProtoReader(valueInfo);
        while (r.hasMore()) {
            if (r.nextField() == 1) {
                return r.string();
            }
            r.skip();
        }
        return "";
    }

    /** The value behind a node input: an initializer, or the tensor of the Constant node producing it. */
    public Optional<OnnxTensor> constant(String valueName) {
        OnnxTensor init = initializers.get(valueName);
        if (init != null) {
            return Optional.of(init);
        }
        return nodes.stream()
                .filter(n -> n.opType().equals("Constant") && n.outputs().contains(valueName))
                .findFirst()
                .map(n -> n.tensorAttributes().get("value"));
    }

    /** The node producing {@code valueName}, if any. */
    public Optional<OnnxNode> producer(String valueName) {
        return nodes.stream().filter(n -> n.outputs().contains(valueName)).findFirst();
    }
}

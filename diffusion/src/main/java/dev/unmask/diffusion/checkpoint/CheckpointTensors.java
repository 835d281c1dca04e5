package dev.unmask.diffusion.checkpoint;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.unmask.diffusion.model.ParameterSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * Reads the tensors of an HF folder into the names and shapes a model family's layout expects,
 * whatever the family: every missing, unexpected or misshapen tensor is reported at once, by name
 * and shape. The family says how its files name tensors ({@link Naming}).
 */
final class CheckpointTensors {
    private CheckpointTensors() {}

    /**
     * How a model family's files name its tensors.
     *
     * @param canonical the layout name a tensor of the file stands for: old spellings and aliases mapped
     * @param ignored whether a tensor outside the layout is skipped: buffers, other heads, a tied decoder
     */
    record Naming(UnaryOperator<String> canonical, Predicate<String> ignored) {}

    /** Builds a model over the parameters read; takes ownership of them and of {@code manager}. */
    interface Builder<M> {
        M build(Map<String, NDArray> parameters, NDManager manager);
    }

    /**
     * Reads the tensors into a new sub-manager of {@code parent} on {@code device} and builds the
     * model over them; the sub-manager is closed if anything fails.
     *
     * @param dataType FLOAT32 or FLOAT16: the type the model computes in
     */
    static <M> M load(Path dir, Map<String, ParameterSpec> specs, Naming naming, NDManager parent, Device device,
            DataType dataType, Builder<M> builder) throws IOException {
        if (dataType != DataType.FLOAT32 && dataType != DataType.FLOAT16) {
            throw new IllegalArgumentException("models compute in float32 or float16, not " + dataType);
        }
        NDManager manager = parent.newSubManager(device);
        try {
            return builder.build(read(dir, specs, naming, device, dataType, manager), manager);
        } catch (IOException | RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /**
     * @param specs the layout: every parameter by name, in order
     * @param manager owns the tensors read (the model's manager)
     * @return the parameters by layout name, converted to {@code dataType} on {@code device}
     * @throws CheckpointException naming every problem found
     */
    private static Map<String, NDArray> read(Path dir, Map<String, ParameterSpec> specs, Naming naming, Device device,
            DataType dataType, NDManager manager) throws IOException {
        Map<String, NDArray> params = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        for (Path file : HfCheckpointReader.weightFiles(dir)) {
            try (SafetensorsReader reader = SafetensorsReader.open(file)) {
                readFile(reader, specs, naming, device, dataType, manager, params, problems);
            }
        }
        for (ParameterSpec spec : specs.values()) {
            if (!params.containsKey(spec.name()) && !hasProblem(problems, spec.name())) {
                problems.add("missing tensor " + spec.name() + " (expected shape " + spec.shape() + ")");
            }
        }
        if (!problems.isEmpty()) {
            throw new CheckpointException(dir + ": " + String.join("; ", problems));
        }
        return params;
    }

    private static void readFile(SafetensorsReader reader, Map<String, ParameterSpec> specs, Naming naming,
            Device device, DataType dataType, NDManager manager, Map<String, NDArray> params, List<String> problems)
            throws IOException {
        for (TensorEntry entry : reader.entries().values()) {
            String name = naming.canonical().apply(entry.name());
            ParameterSpec spec = specs.get(name);
            if (spec == null) {
                if (!naming.ignored().test(name)) {
                    problems.add("unexpected tensor " + entry.name() + " " + entry.shape() + " in "
                            + reader.file().getFileName());
                }
                continue;
            }
            if (!entry.shape().equals(spec.shape())) {
                problems.add("tensor " + entry.name() + " has shape " + entry.shape()
                        + ", expected " + spec.shape());
                continue;
            }
            if (params.containsKey(name)) {
                continue; // an alias of a tensor already read (e.g. lm_head.decoder.bias)
            }
            params.put(name, toModel(reader.read(entry.name(), manager), device, dataType));
        }
    }

    private static NDArray toModel(NDArray array, Device device, DataType dataType) {
        NDArray typed = array.getDataType() == dataType ? array : array.toType(dataType, false);
        NDArray placed = typed.toDevice(device, false);
        if (typed != array) {
            array.close();
        }
        if (placed != typed) {
            typed.close();
        }
        return placed;
    }

    private static boolean hasProblem(List<String> problems, String name) {
        return problems.stream().anyMatch(p -> p.contains(" " + name + " "));
    }
}

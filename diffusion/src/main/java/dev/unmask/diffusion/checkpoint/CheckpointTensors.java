package dev.unmask.diffusion.checkpoint;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.unmask.diffusion.model.ParameterSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * Reads the tensors of an HF folder into the names and shapes a model family's layout expects,
 * whatever the family: every missing, unexpected or misshapen tensor is reported at once, by name
 * and shape. The family says how its files name tensors ({@link Naming}) and what it does about
 * tensors no file holds ({@link Missing}). Two tensors of a folder that stand for one parameter
 * (an alias, as {@code lm_head.decoder.bias} is of {@code lm_head.bias}) must be equal.
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

    /**
     * What a family does about layout tensors no file holds (misshapen ones are reported as such):
     * initialise some of them fresh, or say why they are missing. Those left are reported as
     * {@code missing tensor NAME (expected shape ...)}.
     */
    interface Missing {
        /** Every missing tensor is reported. */
        Missing REPORT = (missing, problems, manager) -> Map.of();

        /**
         * @param missing the missing layout names, in layout order: names removed here are not reported
         * @param problems what is wrong so far (empty: every other tensor was read well); may be added to
         * @param manager the model's manager, which fresh tensors are created in
         * @return fresh tensors for names removed from {@code missing}, on the model's device and in its type
         */
        Map<String, NDArray> complete(List<String> missing, List<String> problems, NDManager manager);
    }

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
        return load(dir, specs, naming, Missing.REPORT, parent, device, dataType, builder);
    }

    /**
     * As {@link #load(Path, Map, Naming, NDManager, Device, DataType, Builder)}, with {@code missing}
     * dealing with the tensors no file holds.
     */
    static <M> M load(Path dir, Map<String, ParameterSpec> specs, Naming naming, Missing missing, NDManager parent,
            Device device, DataType dataType, Builder<M> builder) throws IOException {
        if (dataType != DataType.FLOAT32 && dataType != DataType.FLOAT16) {
            throw new IllegalArgumentException("models compute in float32 or float16, not " + dataType);
        }
        NDManager manager = parent.newSubManager(device);
        try {
            return builder.build(read(dir, specs, naming, missing, device, dataType, manager), manager);
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
    private static Map<String, NDArray> read(Path dir, Map<String, ParameterSpec> specs, Naming naming,
            Missing missingTensors, Device device, DataType dataType, NDManager manager) throws IOException {
        Map<String, NDArray> params = new LinkedHashMap<>();
        Map<String, String> fileNames = new HashMap<>();
        List<String> problems = new ArrayList<>();
        for (Path file : HfCheckpointReader.weightFiles(dir)) {
            try (SafetensorsReader reader = SafetensorsReader.open(file)) {
                readFile(reader, specs, naming, device, dataType, manager, params, fileNames, problems);
            }
        }
        List<String> missing = new ArrayList<>();
        for (ParameterSpec spec : specs.values()) {
            if (!params.containsKey(spec.name()) && !hasProblem(problems, spec.name())) {
                missing.add(spec.name());
            }
        }
        if (!missing.isEmpty()) {
            params.putAll(missingTensors.complete(missing, problems, manager));
        }
        for (String name : missing) {
            problems.add("missing tensor " + name + " (expected shape " + specs.get(name).shape() + ")");
        }
        if (!problems.isEmpty()) {
            throw new CheckpointException(dir + ": " + String.join("; ", problems));
        }
        return params;
    }

    /**
     * @param fileNames the name in the folder each parameter read was read under: an alias of it
     *     read later must be equal to it
     */
    private static void readFile(SafetensorsReader reader, Map<String, ParameterSpec> specs, Naming naming,
            Device device, DataType dataType, NDManager manager, Map<String, NDArray> params,
            Map<String, String> fileNames, List<String> problems) throws IOException {
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
            NDArray array = toModel(reader.read(entry.name(), manager), device, dataType);
            String earlier = fileNames.putIfAbsent(name, entry.name());
            if (earlier == null) {
                params.put(name, array);
                continue;
            }
            // an alias of a tensor already read: transformers 5.x saves the one output bias of an
            // untied head under both lm_head.bias and lm_head.decoder.bias
            if (!params.get(name).contentEquals(array)) {
                problems.add("tensors " + earlier + " and " + entry.name()
                        + " differ; they must be equal (one tied tensor saved under two names)");
            }
            array.close();
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

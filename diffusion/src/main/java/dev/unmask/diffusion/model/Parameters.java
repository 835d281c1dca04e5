package dev.unmask.diffusion.model;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Checks a model's parameters against its layout and takes ownership of them; shared by every family. */
final class Parameters {
    private Parameters() {}

    /**
     * The parameters in layout order, attached to {@code manager}. They must match {@code specs}
     * exactly in names and shapes, all on one device, all float32 or all float16.
     *
     * @throws IllegalArgumentException naming every missing, unexpected or misshapen tensor
     */
    static Map<String, NDArray> adopt(Map<String, ParameterSpec> specs, Map<String, NDArray> parameters,
            NDManager manager) {
        List<String> problems = new ArrayList<>();
        for (ParameterSpec spec : specs.values()) {
            NDArray array = parameters.get(spec.name());
            if (array == null) {
                problems.add("missing tensor " + spec.name() + " (expected shape " + spec.shape() + ")");
            } else if (!array.getShape().equals(spec.shape())) {
                problems.add("tensor " + spec.name() + " has shape " + array.getShape()
                        + ", expected " + spec.shape());
            }
        }
        for (String name : parameters.keySet()) {
            if (!specs.containsKey(name)) {
                problems.add("unexpected tensor " + name);
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
        Map<String, NDArray> ordered = new LinkedHashMap<>();
        DataType type = null;
        Device device = null;
        for (String name : specs.keySet()) {
            NDArray array = parameters.get(name);
            if (type == null) {
                type = array.getDataType();
                device = array.getDevice();
            }
            if (array.getDataType() != type || !array.getDevice().equals(device)) {
                throw new IllegalArgumentException("tensor " + name + " is " + array.getDataType()
                        + " on " + array.getDevice() + "; the model is " + type + " on " + device);
            }
            if (type != DataType.FLOAT32 && type != DataType.FLOAT16) {
                throw new IllegalArgumentException(
                        "model parameters must be float32 or float16, got " + type);
            }
            array.attach(manager);
            ordered.put(name, array);
        }
        return ordered;
    }
}

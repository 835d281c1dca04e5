package dev.unmask.diffusion.model;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/** A model as an HF checkpoint folder stores it, whatever its family: what a checkpoint writer needs. */
public interface HfModel {
    /** The {@code config.json} object {@code transformers} loads this model with. */
    ObjectNode configJson();

    /** Parameters by HF tensor name, in layout order; a tied head is not listed separately. */
    Map<String, NDArray> parameters();

    /**
     * The tensors a checkpoint file holds, by HF name: the parameters, plus any second name a
     * family's files give one of them (one tensor, two names). The parameters unless a family says more.
     */
    default Map<String, NDArray> savedTensors() {
        return parameters();
    }

    /** FLOAT32 or FLOAT16. */
    DataType dataType();

    /** Where the parameters are. */
    Device device();
}

package dev.unmask.diffusion.train;

import com.fasterxml.jackson.databind.JsonNode;

/** An endless, deterministic stream of training batches whose position can be saved and restored. */
public interface BatchSource {
    TrainBatch next();

    /** Where the stream is, as JSON, for a checkpoint. */
    JsonNode position();

    /** Continues from a position saved by {@link #position()}: the same batches the unbroken stream gives. */
    void restore(JsonNode position);
}

package dev.unmask.diffusion.checkpoint;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.unmask.diffusion.model.Gpt2Config;
import dev.unmask.diffusion.model.Gpt2Layout;
import dev.unmask.diffusion.model.Gpt2Model;
import dev.unmask.diffusion.model.InvalidConfigException;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Loads a {@code GPT2LMHeadModel} folder into a {@link Gpt2Model}: tensors with the
 * {@code transformer.} prefix (what {@code save_pretrained} writes) or without it and with
 * {@code h.N.attn.bias} buffers (the original {@code openai-community/gpt2} file). Single files
 * and shards, missing and misshapen tensors reported as for encoders.
 */
public final class Gpt2CheckpointReader {
    private Gpt2CheckpointReader() {}

    /**
     * @param parent the manager the model's own manager is created under
     * @param dataType FLOAT32 or FLOAT16: the type the model computes in
     */
    public static Gpt2Model load(Path dir, NDManager parent, Device device, DataType dataType) throws IOException {
        Gpt2Config config = readConfig(dir);
        Gpt2Layout layout = Gpt2Layout.of(config);
        CheckpointTensors.Naming naming = new CheckpointTensors.Naming(Gpt2Layout::canonicalName, layout::ignored);
        return CheckpointTensors.load(dir, layout.specs(), naming, parent, device, dataType,
                (params, manager) -> Gpt2Model.of(config, params, manager));
    }

    /** The GPT-2 config of a checkpoint folder. */
    public static Gpt2Config readConfig(Path dir) throws IOException {
        Path configFile = HfCheckpointReader.configFile(dir);
        try {
            return Gpt2Config.read(configFile);
        } catch (InvalidConfigException e) {
            throw new CheckpointException(e.getMessage(), e);
        }
    }
}

package dev.unmask.worker;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;
import dev.unmask.diffusion.run.PromptGenerator;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Loaded generators (a diffusion encoder's or GPT-2's, by the folder's {@code model_type}), most
 * recently used last; the oldest is closed (freeing its native memory) when more than
 * {@code capacity} are open. Used by one thread.
 */
final class ModelCache implements AutoCloseable {
    private final int capacity;
    private final Device device;
    private final DataType dataType;
    private final Map<Path, PromptGenerator> open = new LinkedHashMap<>(4, 0.75f, true);

    ModelCache(int capacity, Device device, DataType dataType) {
        this.capacity = capacity;
        this.device = device;
        this.dataType = dataType;
    }

    PromptGenerator get(Path modelDir) throws IOException {
        PromptGenerator generator = open.get(modelDir);
        if (generator != null) {
            return generator;
        }
        generator = PromptGenerator.load(modelDir, device, dataType);
        open.put(modelDir, generator);
        while (open.size() > capacity) {
            Iterator<Map.Entry<Path, PromptGenerator>> oldest = open.entrySet().iterator();
            oldest.next().getValue().close();
            oldest.remove();
        }
        return generator;
    }

    @Override
    public void close() {
        open.values().forEach(PromptGenerator::close);
        open.clear();
    }
}

package dev.unmask.worker;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;
import dev.unmask.diffusion.run.TextGenerator;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Loaded generators, most recently used last; the oldest is closed (freeing its native memory)
 * when more than {@code capacity} are open. Used by one thread.
 */
final class ModelCache implements AutoCloseable {
    private final int capacity;
    private final Device device;
    private final DataType dataType;
    private final Map<Path, TextGenerator> open = new LinkedHashMap<>(4, 0.75f, true);

    ModelCache(int capacity, Device device, DataType dataType) {
        this.capacity = capacity;
        this.device = device;
        this.dataType = dataType;
    }

    TextGenerator get(Path modelDir) throws IOException {
        TextGenerator generator = open.get(modelDir);
        if (generator != null) {
            return generator;
        }
        generator = TextGenerator.load(modelDir, device, dataType);
        open.put(modelDir, generator);
        while (open.size() > capacity) {
            Iterator<Map.Entry<Path, TextGenerator>> oldest = open.entrySet().iterator();
            oldest.next().getValue().close();
            oldest.remove();
        }
        return generator;
    }

    @Override
    public void close() {
        open.values().forEach(TextGenerator::close);
        open.clear();
    }
}

package dev.unmask.diffusion.run;

import com.fasterxml.jackson.databind.JsonNode;
import dev.unmask.diffusion.train.BatchSource;
import dev.unmask.diffusion.train.TrainBatch;
import java.util.ArrayList;
import java.util.List;

/** A {@link BatchSource} that remembers a hash of every batch it hands out ({@link DataTrace#hash}). */
final class TracedBatches implements BatchSource {
    private final BatchSource source;
    private final List<Long> hashes = new ArrayList<>();

    TracedBatches(BatchSource source) {
        this.source = source;
    }

    @Override
    public TrainBatch next() {
        TrainBatch batch = source.next();
        hashes.add(DataTrace.hash(batch.ids()));
        return batch;
    }

    @Override
    public JsonNode position() {
        return source.position();
    }

    @Override
    public void restore(JsonNode position) {
        source.restore(position);
    }

    List<Long> hashes() {
        return hashes;
    }
}

package dev.unmask.diffusion.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.unmask.diffusion.data.Batch;
import dev.unmask.diffusion.data.BatchIterator;
import dev.unmask.diffusion.data.DataPosition;
import dev.unmask.diffusion.data.Sequence;
import dev.unmask.diffusion.train.BatchSource;
import dev.unmask.diffusion.train.TrainBatch;
import dev.unmask.diffusion.util.Json;
import java.util.ArrayList;
import java.util.List;

/** The training split of a tokenized corpus as the trainer's {@link BatchSource}. */
public final class CorpusBatches implements BatchSource {
    private final List<Sequence> rows;
    private final int batchSize;
    private final long seed;
    private BatchIterator iterator;

    public CorpusBatches(List<Sequence> rows, int batchSize, long seed) {
        this.rows = rows;
        this.batchSize = batchSize;
        this.seed = seed;
        this.iterator = BatchIterator.start(rows, batchSize, seed);
    }

    @Override
    public TrainBatch next() {
        Batch b = iterator.next();
        return new TrainBatch(b.ids(), b.attentionMask(), b.promptLengths());
    }

    @Override
    public JsonNode position() {
        DataPosition p = iterator.position();
        ObjectNode json = Json.MAPPER.createObjectNode();
        json.put("epoch", p.epoch());
        json.put("batch_in_epoch", p.batchInEpoch());
        return json;
    }

    @Override
    public void restore(JsonNode position) {
        iterator = BatchIterator.resume(rows, batchSize, seed,
                new DataPosition(position.path("epoch").asInt(), position.path("batch_in_epoch").asInt()));
    }

    /** Sequences in fixed-size batches, in order (the last may be smaller): for evaluation. */
    public static List<TrainBatch> inOrder(List<Sequence> rows, int batchSize) {
        List<TrainBatch> batches = new ArrayList<>();
        for (int start = 0; start < rows.size(); start += batchSize) {
            List<Sequence> part = rows.subList(start, Math.min(rows.size(), start + batchSize));
            long[][] ids = new long[part.size()][];
            long[][] attention = new long[part.size()][];
            int[] prompts = new int[part.size()];
            for (int i = 0; i < part.size(); i++) {
                ids[i] = part.get(i).ids();
                attention[i] = part.get(i).attentionMask();
                prompts[i] = part.get(i).promptLength();
            }
            batches.add(new TrainBatch(ids, attention, prompts));
        }
        return batches;
    }
}

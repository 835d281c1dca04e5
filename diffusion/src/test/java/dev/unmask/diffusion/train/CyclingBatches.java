package dev.unmask.diffusion.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;

/** Test data: fixed rows served in order, batch after batch, forever. */
final class CyclingBatches implements BatchSource {
    private final long[][] rows;
    private final int batchSize;
    private int next;

    CyclingBatches(long[][] rows, int batchSize) {
        this.rows = rows;
        this.batchSize = batchSize;
    }

    @Override
    public TrainBatch next() {
        long[][] ids = new long[batchSize][];
        long[][] attention = new long[batchSize][];
        for (int b = 0; b < batchSize; b++) {
            ids[b] = rows[next % rows.length];
            attention[b] = new long[ids[b].length];
            for (int i = 0; i < ids[b].length; i++) {
                attention[b][i] = ids[b][i] == 1 ? 0 : 1;
            }
            next++;
        }
        return new TrainBatch(ids, attention, new int[batchSize]);
    }

    @Override
    public JsonNode position() {
        return IntNode.valueOf(next);
    }

    @Override
    public void restore(JsonNode position) {
        next = position.asInt();
    }
}

package dev.unmask.diffusion.model;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;

/**
 * A GPT-2 decoder's per-request state: the keys and values of every column fed so far, for every
 * layer and every row of a batch, in native memory allocated once for {@code capacity} columns.
 * Beside them, on the host, which columns of each row are real tokens (padding is never attended
 * to) and how many real tokens each row has had (the next position). All rows grow by the same
 * number of columns, so rows of different prompt lengths are left-padded.
 */
public final class KvCache implements AutoCloseable {
    private final NDManager manager;
    private final NDArray[] keys; // per layer (B, nH, C, dH)
    private final NDArray[] values; // per layer (B, nH, C, dH)
    private final int capacity;
    private final int maxPositions;
    private boolean[][] real; // (B, C)
    private int[] seen; // (B) real tokens so far
    private int length;

    private KvCache(NDManager manager, NDArray[] keys, NDArray[] values, int rows, int capacity, int maxPositions) {
        this.manager = manager;
        this.keys = keys;
        this.values = values;
        this.capacity = capacity;
        this.maxPositions = maxPositions;
        this.real = new boolean[rows][capacity];
        this.seen = new int[rows];
    }

    /**
     * An empty cache for {@code rows} sequences of up to {@code capacity} columns,
     * in a sub-manager of {@code parent}.
     */
    public static KvCache allocate(NDManager parent, Gpt2Config config, int rows, int capacity, DataType type,
            Device device) {
        if (rows < 1 || capacity < 1) {
            throw new IllegalArgumentException("a cache needs rows and capacity >= 1, got " + rows + " x " + capacity);
        }
        NDManager manager = parent.newSubManager(device);
        try {
            Shape shape = new Shape(rows, config.numHeads(), capacity, config.headSize());
            NDArray[] keys = new NDArray[config.numLayers()];
            NDArray[] values = new NDArray[config.numLayers()];
            for (int i = 0; i < keys.length; i++) {
                keys[i] = manager.zeros(shape, type);
                values[i] = manager.zeros(shape, type);
            }
            return new KvCache(manager, keys, values, rows, capacity, config.maxPositions());
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    public int rows() {
        return seen.length;
    }

    /** Columns filled so far (padding included). */
    public int length() {
        return length;
    }

    public int capacity() {
        return capacity;
    }

    /**
     * Takes a block of new columns: records which are real and returns their positions (a row's
     * real tokens are numbered 0, 1, ... across blocks; padding gets 0). The keys and values of
     * the block's columns are then {@link #store}d layer by layer.
     *
     * @param blockReal (B, T) true for real tokens
     * @return (B, T) positions
     */
    long[][] append(boolean[][] blockReal) {
        if (blockReal.length != rows() || blockReal[0].length == 0) {
            throw new IllegalArgumentException("a block of " + blockReal.length + " rows for a cache of " + rows());
        }
        int width = blockReal[0].length;
        if (length + width > capacity) {
            throw new IllegalArgumentException(
                    "the cache holds " + capacity + " columns; " + length + " + " + width + " do not fit");
        }
        long[][] positions = new long[rows()][width];
        for (int b = 0; b < rows(); b++) {
            for (int t = 0; t < width; t++) {
                if (blockReal[b][t]) {
                    if (seen[b] >= maxPositions) {
                        throw new IllegalArgumentException("row " + b + " reached the model's " + maxPositions
                                + " positions");
                    }
                    positions[b][t] = seen[b]++;
                }
                real[b][length + t] = blockReal[b][t];
            }
        }
        length += width;
        return positions;
    }

    /** (B, L) 1 where a column so far is a real token, on the cache's device, in {@code scope}. */
    NDArray keyMask(NDManager scope) {
        float[][] mask = new float[rows()][length];
        for (int b = 0; b < rows(); b++) {
            for (int t = 0; t < length; t++) {
                mask[b][t] = real[b][t] ? 1f : 0f;
            }
        }
        return scope.create(mask);
    }

    /** Writes a block's keys and values (B, nH, T, dH) at columns [start, start + T) of {@code layer}. */
    void store(int layer, int start, NDArray k, NDArray v) {
        long width = k.getShape().get(2);
        NDIndex columns = new NDIndex(":, :, {}:{}", start, start + width);
        keys[layer].set(columns, k);
        values[layer].set(columns, v);
    }

    /** (B, nH, L, dH) keys of every column so far, a view attached to {@code scope}. */
    NDArray keys(int layer, NDManager scope) {
        return filled(keys[layer], scope);
    }

    /** (B, nH, L, dH) values of every column so far, a view attached to {@code scope}. */
    NDArray values(int layer, NDManager scope) {
        return filled(values[layer], scope);
    }

    private NDArray filled(NDArray all, NDManager scope) {
        NDArray view = all.get(new NDIndex(":, :, :{}", length)); // (B, nH, L, dH)
        view.attach(scope);
        return view;
    }

    /** Keeps only the given rows (indices into the current rows), in that order; frees the others' memory. */
    public void retain(int[] rows) {
        if (rows.length == 0) {
            throw new IllegalArgumentException("retain needs at least one row; close the cache instead");
        }
        for (int r : rows) {
            if (r < 0 || r >= rows()) {
                throw new IllegalArgumentException("row " + r + " is not in a cache of " + rows() + " rows");
            }
        }
        try (NDManager scope = manager.newSubManager()) {
            NDArray index = scope.create(Arrays.stream(rows).mapToLong(r -> r).toArray()); // (B')
            for (int i = 0; i < keys.length; i++) {
                keys[i] = select(keys[i], index);
                values[i] = select(values[i], index);
            }
        }
        boolean[][] keptReal = new boolean[rows.length][];
        int[] keptSeen = new int[rows.length];
        for (int i = 0; i < rows.length; i++) {
            keptReal[i] = real[rows[i]];
            keptSeen[i] = seen[rows[i]];
        }
        real = keptReal;
        seen = keptSeen;
    }

    private NDArray select(NDArray all, NDArray index) {
        NDArray kept = all.get(new NDIndex("{}", index)); // (B', nH, C, dH)
        kept.attach(manager);
        all.close();
        return kept;
    }

    @Override
    public void close() {
        manager.close();
    }
}

package dev.unmask.diffusion.data;

import java.util.Iterator;
import java.util.List;
import java.util.SplittableRandom;

/**
 * An endless, deterministic stream of training batches.
 *
 * <p>Epoch {@code e} visits the rows in the order {@link Permutations#shuffled} draws from
 * {@code new SplittableRandom(epochSeed(seed, e))}, where {@code epochSeed(seed, e) = seed + e *
 * 0x9E3779B97F4A7C15L} (so runs with nearby seeds never share an epoch's order); batch {@code b}
 * of the epoch is rows {@code b * batchSize .. (b + 1) * batchSize - 1} of that order. The last
 * partial batch of an epoch is dropped, so each epoch has {@code rows / batchSize} batches; when
 * there are fewer rows than {@code batchSize}, each epoch is one batch that cycles through the
 * permuted rows, repeating them, to fill all {@code batchSize} places.
 *
 * <p>The stream depends only on the rows, {@code batchSize} and {@code seed}:
 * {@link #resume} from a {@link #position()} yields exactly the batches the uninterrupted
 * iterator would have.
 */
public final class BatchIterator implements Iterator<Batch> {
    private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;

    private final List<Sequence> rows;
    private final int batchSize;
    private final long seed;
    private final int batchesPerEpoch;
    private int epoch;
    private int batchInEpoch;
    private int[] order;
    private int orderEpoch = -1;

    private BatchIterator(List<Sequence> rows, int batchSize, long seed, DataPosition position) {
        if (batchSize <= 0) {
            throw new IllegalArgumentException("batchSize = " + batchSize + ", must be positive");
        }
        if (rows.isEmpty()) {
            throw new IllegalArgumentException("no training sequences to batch");
        }
        this.rows = List.copyOf(rows);
        this.batchSize = batchSize;
        this.seed = seed;
        this.batchesPerEpoch = Math.max(1, rows.size() / batchSize);
        if (position.batchInEpoch() >= batchesPerEpoch) {
            throw new IllegalArgumentException("data position " + position + " is beyond the " + batchesPerEpoch
                    + " batches per epoch of " + rows.size() + " rows at batch size " + batchSize
                    + "; were the corpus, seqLen or batch size changed?");
        }
        this.epoch = position.epoch();
        this.batchInEpoch = position.batchInEpoch();
    }

    /** Batches of the corpus's training rows, from the start. */
    public static BatchIterator start(TokenizedCorpus corpus, int batchSize, long seed) {
        return new BatchIterator(corpus.train(), batchSize, seed, DataPosition.START);
    }

    /** Batches of the corpus's training rows, continuing at {@code position}. */
    public static BatchIterator resume(TokenizedCorpus corpus, int batchSize, long seed, DataPosition position) {
        return new BatchIterator(corpus.train(), batchSize, seed, position);
    }

    /** Batches of {@code rows}, from the start. */
    public static BatchIterator start(List<Sequence> rows, int batchSize, long seed) {
        return new BatchIterator(rows, batchSize, seed, DataPosition.START);
    }

    /** Batches of {@code rows}, continuing at {@code position}. */
    public static BatchIterator resume(List<Sequence> rows, int batchSize, long seed, DataPosition position) {
        return new BatchIterator(rows, batchSize, seed, position);
    }

    /** The seed of epoch {@code epoch}'s permutation. */
    public static long epochSeed(long seed, int epoch) {
        return seed + epoch * GOLDEN_GAMMA;
    }

    public int batchSize() {
        return batchSize;
    }

    /** Batches per epoch: {@code rows / batchSize}, at least 1. */
    public int batchesPerEpoch() {
        return batchesPerEpoch;
    }

    /** The position of the batch {@link #next()} yields next. */
    public DataPosition position() {
        return new DataPosition(epoch, batchInEpoch);
    }

    /** Always true: the stream is endless. */
    @Override
    public boolean hasNext() {
        return true;
    }

    @Override
    public Batch next() {
        if (orderEpoch != epoch) {
            order = Permutations.shuffled(rows.size(), new SplittableRandom(epochSeed(seed, epoch)));
            orderEpoch = epoch;
        }
        long[][] ids = new long[batchSize][];
        long[][] masks = new long[batchSize][];
        int[] promptLengths = new int[batchSize];
        int first = batchInEpoch * batchSize;
        for (int r = 0; r < batchSize; r++) {
            Sequence s = rows.get(order[(first + r) % order.length]);
            ids[r] = s.ids().clone();
            masks[r] = s.attentionMask().clone();
            promptLengths[r] = s.promptLength();
        }
        Batch batch = new Batch(ids, masks, promptLengths, epoch, (long) epoch * batchesPerEpoch + batchInEpoch);
        if (++batchInEpoch == batchesPerEpoch) {
            batchInEpoch = 0;
            epoch = Math.addExact(epoch, 1);
        }
        return batch;
    }
}

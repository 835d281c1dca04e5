package dev.unmask.diffusion.data;

/**
 * How a corpus becomes training sequences; validated when built, every message naming its field.
 *
 * @param seqLen tokens per sequence, at least 8
 * @param packing {@link Packing#PACK} or {@link Packing#PAD}
 * @param heldOutFraction the fraction of documents held out for evaluation, in [0, 0.5]
 * @param seed the seed of the held-out split
 * @param minHeldOut the fewest documents held out when {@code heldOutFraction > 0} and the corpus
 *     has at least 2 documents (the training split always keeps at least one); ignored when the
 *     fraction is 0
 */
public record DataConfig(int seqLen, Packing packing, double heldOutFraction, long seed, int minHeldOut) {
    public static final int MIN_SEQ_LEN = 8;
    public static final double DEFAULT_HELD_OUT_FRACTION = 0.05;
    public static final double MAX_HELD_OUT_FRACTION = 0.5;
    public static final int DEFAULT_MIN_HELD_OUT = 1;

    public DataConfig {
        if (seqLen < MIN_SEQ_LEN) {
            throw new IllegalArgumentException("data config: seqLen = " + seqLen + ", must be >= " + MIN_SEQ_LEN);
        }
        if (packing == null) {
            throw new IllegalArgumentException("data config: packing must be PACK or PAD, got null");
        }
        if (!(heldOutFraction >= 0 && heldOutFraction <= MAX_HELD_OUT_FRACTION)) {
            throw new IllegalArgumentException("data config: heldOutFraction = " + heldOutFraction
                    + ", must be in [0, " + MAX_HELD_OUT_FRACTION + "]");
        }
        if (minHeldOut < 0) {
            throw new IllegalArgumentException("data config: minHeldOut = " + minHeldOut + ", must be >= 0");
        }
    }

    /** {@code seqLen} and {@code packing} with the defaults: 5% held out (at least 1), seed 0. */
    public static DataConfig of(int seqLen, Packing packing) {
        return new DataConfig(seqLen, packing, DEFAULT_HELD_OUT_FRACTION, 0L, DEFAULT_MIN_HELD_OUT);
    }

    public DataConfig withSeqLen(int value) {
        return new DataConfig(value, packing, heldOutFraction, seed, minHeldOut);
    }

    public DataConfig withPacking(Packing value) {
        return new DataConfig(seqLen, value, heldOutFraction, seed, minHeldOut);
    }

    public DataConfig withHeldOutFraction(double value) {
        return new DataConfig(seqLen, packing, value, seed, minHeldOut);
    }

    public DataConfig withSeed(long value) {
        return new DataConfig(seqLen, packing, heldOutFraction, value, minHeldOut);
    }

    public DataConfig withMinHeldOut(int value) {
        return new DataConfig(seqLen, packing, heldOutFraction, seed, value);
    }

    /**
     * How many of {@code documents} are held out: 0 when the fraction is 0 or there are fewer than
     * 2 documents; else {@code max(minHeldOut, round(fraction * documents))}, at most
     * {@code documents - 1}.
     */
    public int heldOutCount(int documents) {
        if (heldOutFraction == 0 || documents < 2) {
            return 0;
        }
        long wanted = Math.max(minHeldOut, Math.round(heldOutFraction * documents));
        return (int) Math.min(wanted, documents - 1L);
    }
}

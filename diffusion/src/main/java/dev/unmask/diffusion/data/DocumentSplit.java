package dev.unmask.diffusion.data;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The held-out split of a corpus's documents, made before packing so that no text is shared
 * between the splits. The documents are shuffled by {@code new SplittableRandom(seed)}
 * (Fisher-Yates); the first {@link DataConfig#heldOutCount} of the shuffled order are held out.
 * Both index arrays are ascending, i.e. in corpus order.
 */
public record DocumentSplit(int[] train, int[] heldOut) {

    public static DocumentSplit of(int documents, DataConfig config) {
        if (documents < 0) {
            throw new IllegalArgumentException("documents = " + documents + ", must be >= 0");
        }
        int[] order = Permutations.shuffled(documents, new SplittableRandom(config.seed()));
        int held = config.heldOutCount(documents);
        int[] heldOut = Arrays.copyOfRange(order, 0, held);
        int[] train = Arrays.copyOfRange(order, held, documents);
        Arrays.sort(heldOut);
        Arrays.sort(train);
        return new DocumentSplit(train, heldOut);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DocumentSplit s && Arrays.equals(train, s.train) && Arrays.equals(heldOut, s.heldOut);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(train) + Arrays.hashCode(heldOut);
    }

    @Override
    public String toString() {
        return "DocumentSplit[train=" + Arrays.toString(train) + ", heldOut=" + Arrays.toString(heldOut) + "]";
    }
}

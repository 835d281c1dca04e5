package dev.unmask.diffusion.data;

import java.util.SplittableRandom;

/** Seeded permutations, identical on every JVM. */
final class Permutations {
    private Permutations() {}

    /** {@code 0..n-1} shuffled by Fisher-Yates, swapping i with {@code random.nextInt(i + 1)} from the top. */
    static int[] shuffled(int n, SplittableRandom random) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }
}

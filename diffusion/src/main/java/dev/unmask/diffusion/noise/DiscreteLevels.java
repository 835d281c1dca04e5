package dev.unmask.diffusion.noise;

import dev.unmask.diffusion.util.Rng;
import java.util.Arrays;

/**
 * The reference recipe's noise: N levels, one ratio per batch drawn from {1, (N-1)/N, ..., 1/N},
 * plain cross-entropy on the masked tokens.
 */
public record DiscreteLevels(int levels) implements NoiseSchedule {
    public DiscreteLevels {
        if (levels < 1 || levels > 1000) {
            throw new IllegalArgumentException("noise.levels must be in [1, 1000], got " + levels);
        }
    }

    @Override
    public double[] ratios(Rng rng, int batch) {
        double ratio = (rng.nextInt(levels) + 1) / (double) levels;
        double[] out = new double[batch];
        Arrays.fill(out, ratio);
        return out;
    }

    @Override
    public double weight(double ratio) {
        return 1.0;
    }

    @Override
    public boolean elbo() {
        return false;
    }
}

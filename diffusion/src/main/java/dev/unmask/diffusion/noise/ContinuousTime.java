package dev.unmask.diffusion.noise;

import dev.unmask.diffusion.util.Rng;

/**
 * MDLM / LLaDA noise: per sequence t ~ U(eps, 1), each token masked with probability t, masked
 * tokens' cross-entropy weighted 1/t. The expected loss per token bounds the negative
 * log-likelihood (an ELBO).
 */
public record ContinuousTime(double eps) implements NoiseSchedule {
    public ContinuousTime {
        if (!(eps > 0) || eps >= 1) {
            throw new IllegalArgumentException("noise.eps must be in (0, 1), got " + eps);
        }
    }

    @Override
    public double[] ratios(Rng rng, int batch) {
        double[] out = new double[batch];
        for (int b = 0; b < batch; b++) {
            out[b] = eps + (1 - eps) * rng.nextDouble();
        }
        return out;
    }

    @Override
    public double weight(double ratio) {
        return 1.0 / ratio;
    }

    @Override
    public boolean elbo() {
        return true;
    }
}

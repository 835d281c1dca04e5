package dev.unmask.diffusion.model;

import ai.djl.pytorch.jni.JniUtils;

/** PyTorch's intra-op thread count (for the calling thread's parallel regions and the BLAS), for benchmarks. */
public final class EngineThreads {
    private EngineThreads() {}

    /** Sets {@code threads} intra-op threads; 0 leaves the engine's default (the number of cores). */
    public static void set(int threads) {
        if (threads < 0) {
            throw new IllegalArgumentException("threads must be >= 0 (0 = the engine's default), got " + threads);
        }
        if (threads > 0) {
            JniUtils.setNumThreads(threads);
        }
    }

    public static int current() {
        return JniUtils.getNumThreads();
    }
}

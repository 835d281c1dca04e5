package dev.unmask.diffusion.model;

import ai.djl.engine.Engine;
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
            loaded();
            JniUtils.setNumThreads(threads);
        }
    }

    public static int current() {
        loaded();
        return JniUtils.getNumThreads();
    }

    /** The JNI calls need the native library, which DJL loads with the engine. */
    private static void loaded() {
        Engine.getEngine("PyTorch");
    }
}

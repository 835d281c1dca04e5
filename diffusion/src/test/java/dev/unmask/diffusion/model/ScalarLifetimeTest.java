package dev.unmask.diffusion.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * Constants kept by autograd must outlive the garbage collector. DJL's {@code x.mul(3f)} frees
 * its constant's buffer to the GC right away; with the memory reused before backward, the
 * gradient came out as 6.9e-41 or -1e36 in most of 200 rounds. {@link Scalars} must give the true
 * gradient in every round of the same churn.
 */
class ScalarLifetimeTest {
    private static final int ROUNDS = 200;

    @Test
    void gradientsThroughScalarsSurviveAGarbageCollectionBeforeBackward() {
        check(x -> Scalars.mul(x, 3f), new float[] {3, 3, 3});
        check(x -> Scalars.div(x, 4f), new float[] {0.25f, 0.25f, 0.25f});
        check(x -> Scalars.mul(Scalars.add(x, 1f), 2f), new float[] {2, 2, 2});
    }

    private static void check(UnaryOperator<NDArray> f, float[] expected) {
        for (int round = 0; round < ROUNDS; round++) {
            try (NDManager m = NDManager.newBaseManager(Device.cpu());
                    GradientCollector c = Engine.getInstance().newGradientCollector()) {
                NDArray x = m.create(new float[] {1, 2, 3});
                x.setRequiresGradient(true);
                NDArray y = f.apply(x).sum();
                churnDirectMemory();
                c.backward(y);
                assertArrayEquals(expected, x.getGradient().toFloatArray(), 1e-6f, "round " + round);
            }
        }
    }

    /** Frees small direct buffers to the GC and allocates new ones full of NaN where they were. */
    private static void churnDirectMemory() {
        List<ByteBuffer> junk = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            junk.add(ByteBuffer.allocateDirect(4));
        }
        junk.clear();
        System.gc();
        for (int i = 0; i < 2000; i++) {
            ByteBuffer b = ByteBuffer.allocateDirect(4);
            b.putFloat(0, Float.NaN);
            junk.add(b);
        }
    }
}

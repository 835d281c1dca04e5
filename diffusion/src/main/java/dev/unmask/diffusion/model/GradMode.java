package dev.unmask.diffusion.model;

import ai.djl.pytorch.jni.JniUtils;
import java.util.function.Supplier;

/**
 * PyTorch's autograd switch, which is per thread. Inference and optimizer updates run with it off
 * so that no graph is recorded and parameters can be updated in place, whatever thread they run on.
 */
public final class GradMode {
    private GradMode() {}

    public static <T> T disabled(Supplier<T> body) {
        boolean was = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        try {
            return body.get();
        } finally {
            JniUtils.setGradMode(was);
        }
    }

    public static void disabled(Runnable body) {
        disabled(() -> {
            body.run();
            return null;
        });
    }
}

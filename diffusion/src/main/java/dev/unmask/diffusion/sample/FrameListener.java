package dev.unmask.diffusion.sample;

/** Receives a frame after every denoising step of every canvas. */
@FunctionalInterface
public interface FrameListener {
    FrameListener NONE = frame -> {};

    void onFrame(Frame frame);
}

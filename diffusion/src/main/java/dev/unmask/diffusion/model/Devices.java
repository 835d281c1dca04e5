package dev.unmask.diffusion.model;

import ai.djl.Device;
import ai.djl.engine.Engine;

/** Chooses the device a model runs on from a setting: {@code auto}, {@code cpu}, {@code gpu}, {@code gpu:N}. */
public final class Devices {
    private Devices() {}

    public static Device parse(String setting) {
        String s = setting == null ? "auto" : setting.trim().toLowerCase(java.util.Locale.ROOT);
        int gpus = Engine.getInstance().getGpuCount();
        switch (s) {
            case "auto":
                return gpus > 0 ? Device.gpu() : Device.cpu();
            case "cpu":
                return Device.cpu();
            case "gpu":
            case "cuda":
                return gpu(0, gpus, setting);
            default:
                if (s.startsWith("gpu:") || s.startsWith("cuda:")) {
                    try {
                        return gpu(Integer.parseInt(s.substring(s.indexOf(':') + 1)), gpus, setting);
                    } catch (NumberFormatException e) {
                        // fall through to the error below
                    }
                }
                throw new IllegalArgumentException("device '" + setting
                        + "' is not supported; supported: auto, cpu, gpu, gpu:N");
        }
    }

    private static Device gpu(int index, int available, String setting) {
        if (index < 0 || index >= available) {
            throw new IllegalArgumentException("device '" + setting + "' asked for GPU " + index
                    + " but " + available + " GPU(s) are visible to PyTorch");
        }
        return Device.gpu(index);
    }
}

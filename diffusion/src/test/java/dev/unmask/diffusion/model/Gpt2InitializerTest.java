package dev.unmask.diffusion.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import org.junit.jupiter.api.Test;

/** A fresh GPT-2 as transformers initialises one. */
class Gpt2InitializerTest {

    static double std(NDArray a) {
        float[] v = a.toFloatArray();
        double sum = 0;
        double squares = 0;
        for (float x : v) {
            sum += x;
            squares += (double) x * x;
        }
        double mean = sum / v.length;
        return Math.sqrt(squares / v.length - mean * mean);
    }

    @Test
    void residualProjectionsAreScaledByDepthAndTheRestIsHfsDefault() {
        Gpt2Config config = Presets.gpt2("gpt2-tiny", 300);
        try (NDManager manager = NDManager.newBaseManager(Device.cpu());
                Gpt2Model model = Gpt2Initializer.initialize(config, manager, Device.cpu(), DataType.FLOAT32, 3);
                Gpt2Model again = Gpt2Initializer.initialize(config, manager, Device.cpu(), DataType.FLOAT32, 3)) {
            double projection = 0.02 / Math.sqrt(2 * config.numLayers());
            String l = Gpt2Layout.layerPrefix(1);
            assertEquals(projection, std(model.parameters().get(l + "attn.c_proj.weight")), projection * 0.05);
            assertEquals(projection, std(model.parameters().get(l + "mlp.c_proj.weight")), projection * 0.05);
            assertEquals(0.02, std(model.parameters().get(l + "attn.c_attn.weight")), 0.001);
            assertEquals(0.02, std(model.parameters().get(Gpt2Layout.PREFIX + "wte.weight")), 0.001);
            assertEquals(0.0, model.parameters().get(l + "mlp.c_fc.bias").abs().sum().getFloat());
            assertEquals(128f, model.parameters().get(l + "ln_1.weight").sum().getFloat());
            assertArrayEquals(model.parameters().get(l + "attn.c_attn.weight").toFloatArray(),
                    again.parameters().get(l + "attn.c_attn.weight").toFloatArray(), "the same seed, the same weights");
        }
    }
}

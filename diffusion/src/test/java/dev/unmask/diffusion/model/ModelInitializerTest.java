package dev.unmask.diffusion.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import org.junit.jupiter.api.Test;

/** What a from-scratch model starts as. */
class ModelInitializerTest {

    @Test
    void positionTableIsASinusoidWithTheOtherTablesRms() {
        EncoderConfig config = Presets.roberta("tiny", 300);
        int hidden = config.hiddenSize();
        int pad = config.padTokenId();
        float[] table = ModelInitializer.sinusoidalPositions(config);
        assertEquals(config.maxPositionEmbeddings() * hidden, table.length);
        for (int r = 0; r <= pad; r++) {
            for (int d = 0; d < hidden; d++) {
                assertEquals(0f, table[r * hidden + d], "rows up to the pad id are unused by RoBERTa and stay 0");
            }
        }
        double std = config.initializerRange();
        for (int r = pad + 1; r < config.maxPositionEmbeddings(); r++) {
            double sq = 0;
            for (int d = 0; d < hidden; d++) {
                sq += table[r * hidden + d] * (double) table[r * hidden + d];
            }
            assertEquals(std, Math.sqrt(sq / hidden), 1e-6, "row " + r + " RMS");
        }
        // the first position (p = 0): sin 0 = 0, cos 0 = 1, scaled
        int first = (pad + 1) * hidden;
        assertEquals(0f, table[first], 1e-7);
        assertEquals(std * Math.sqrt(2), table[first + 1], 1e-6);
        // nearby positions are more alike than distant ones
        assertTrue(dot(table, hidden, pad + 11, pad + 12) > dot(table, hidden, pad + 11, pad + 90));
    }

    @Test
    void initializedModelUsesTheSinusoidAndPresetRange() {
        EncoderConfig config = Presets.roberta("tiny", 300);
        assertEquals(0.1, config.initializerRange(), "tiny starts wider than HF's 0.02 (see Presets)");
        assertEquals(0.02, Presets.roberta("small", 300).initializerRange());
        try (NDManager manager = NDManager.newBaseManager(Device.cpu());
                MaskedLanguageModel model = ModelInitializer.initialize(config, manager, Device.cpu(),
                        DataType.FLOAT32, 7)) {
            NDArray positions = model.parameters().get("roberta.embeddings.position_embeddings.weight");
            float[] expected = ModelInitializer.sinusoidalPositions(config);
            float[] actual = positions.toFloatArray();
            for (int i = 0; i < expected.length; i++) {
                assertEquals(expected[i], actual[i], 0f);
            }
            float[] words = model.parameters().get("roberta.embeddings.word_embeddings.weight").toFloatArray();
            double sq = 0;
            for (float w : words) {
                sq += w * (double) w;
            }
            assertEquals(0.1, Math.sqrt(sq / words.length), 0.005, "word embeddings ~ N(0, initializer_range)");
        }
    }

    @Test
    void residualBranchesStartAtZeroAndEverythingElseIsRandom() {
        EncoderConfig config = Presets.roberta("tiny", 300);
        try (NDManager manager = NDManager.newBaseManager(Device.cpu());
                MaskedLanguageModel model = ModelInitializer.initialize(config, manager, Device.cpu(),
                        DataType.FLOAT32, 7)) {
            int zero = 0;
            for (var e : model.parameters().entrySet()) {
                String name = e.getKey();
                double max = e.getValue().abs().max().getFloat();
                boolean branchEnd = name.endsWith("attention.output.dense.weight")
                        || (name.endsWith(".output.dense.weight") && name.contains(".encoder.layer."));
                if (branchEnd) {
                    zero++;
                    assertEquals(0.0, max, name + " ends a residual branch: zero, so the layer starts as the identity");
                } else if (name.endsWith("dense.weight") || name.endsWith("query.weight") || name.endsWith("key.weight")
                        || name.endsWith("value.weight")) {
                    assertTrue(max > 0.1, name + " is random");
                }
            }
            assertEquals(2 * config.numHiddenLayers(), zero, "two branch ends per layer");
        }
    }

    private static double dot(float[] table, int hidden, int a, int b) {
        double s = 0;
        for (int d = 0; d < hidden; d++) {
            s += table[a * hidden + d] * (double) table[b * hidden + d];
        }
        return s;
    }
}

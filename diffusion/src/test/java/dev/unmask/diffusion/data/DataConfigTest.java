package dev.unmask.diffusion.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.unmask.diffusion.util.Json;
import org.junit.jupiter.api.Test;

/** The data config validates every field by name; the held-out count follows the documented rule. */
class DataConfigTest {

    @Test
    void defaults() {
        DataConfig config = DataConfig.of(128, Packing.PACK);
        assertEquals(0.05, config.heldOutFraction());
        assertEquals(1, config.minHeldOut());
        assertEquals(0L, config.seed());
    }

    @Test
    void invalidFieldsAreNamed() {
        assertMessage("seqLen = 7, must be >= 8", () -> DataConfig.of(7, Packing.PAD));
        assertMessage("packing must be PACK or PAD", () -> new DataConfig(16, null, 0.05, 0, 1));
        assertMessage("heldOutFraction = 0.6, must be in [0, 0.5]", () -> DataConfig.of(16, Packing.PAD).withHeldOutFraction(0.6));
        assertMessage("heldOutFraction = -0.1", () -> DataConfig.of(16, Packing.PAD).withHeldOutFraction(-0.1));
        assertMessage("heldOutFraction = NaN", () -> DataConfig.of(16, Packing.PAD).withHeldOutFraction(Double.NaN));
        assertMessage("minHeldOut = -1, must be >= 0", () -> DataConfig.of(16, Packing.PAD).withMinHeldOut(-1));
    }

    @Test
    void heldOutCount() {
        DataConfig config = DataConfig.of(16, Packing.PAD);
        assertEquals(0, config.heldOutCount(0));
        assertEquals(0, config.heldOutCount(1), "a single document is trained on");
        assertEquals(1, config.heldOutCount(2), "minHeldOut 1, the training split keeps one");
        assertEquals(1, config.heldOutCount(10));
        assertEquals(5, config.heldOutCount(100));
        assertEquals(50, config.withHeldOutFraction(0.5).heldOutCount(100));
        assertEquals(2, config.withHeldOutFraction(0.5).withMinHeldOut(5).heldOutCount(3));
        assertEquals(0, config.withHeldOutFraction(0).heldOutCount(100), "minHeldOut is ignored at fraction 0");
        assertEquals(0, config.withMinHeldOut(0).heldOutCount(5), "round(0.25) = 0");
    }

    @Test
    void configAndPositionAreJson() throws Exception {
        DataConfig config = DataConfig.of(64, Packing.PAD).withSeed(9);
        JsonNode json = Json.MAPPER.valueToTree(config);
        assertEquals(config, Json.MAPPER.treeToValue(json, DataConfig.class));
        DataPosition position = new DataPosition(3, 14);
        assertEquals(position, Json.MAPPER.readValue(Json.compact(position), DataPosition.class));
    }

    private static void assertMessage(String expected, Runnable action) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, action::run);
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}

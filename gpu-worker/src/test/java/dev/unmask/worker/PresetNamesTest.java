package dev.unmask.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.unmask.diffusion.model.Presets;
import dev.unmask.shared.spec.ModelRef;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The presets a job may name are the engine's, no more and no fewer. */
class PresetNamesTest {
    @Test
    void theGatewaysPresetsAreTheEngines() {
        List<String> engine = new ArrayList<>(Presets.names());
        engine.addAll(Presets.gpt2Names());
        assertEquals(engine, ModelRef.PRESETS);
    }
}

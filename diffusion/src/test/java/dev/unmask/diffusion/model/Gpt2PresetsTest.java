package dev.unmask.diffusion.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The GPT-2 presets beside the encoder presets of the same name. */
class Gpt2PresetsTest {

    @Test
    void eachGpt2PresetIsWithinTenPercentOfItsEncoder() {
        for (int vocab : List.of(300, 8000, 50265)) {
            for (String name : Presets.names()) {
                long encoder = ParameterLayout.of(Presets.roberta(name, vocab)).parameterCount();
                long gpt2 = Gpt2Layout.of(Presets.gpt2(Presets.GPT2_PREFIX + name, vocab)).parameterCount();
                double ratio = (double) gpt2 / encoder;
                System.out.printf("vocab %d: %s %,d, gpt2-%s %,d (%.3f)%n", vocab, name, encoder, name, gpt2, ratio);
                assertTrue(Math.abs(ratio - 1) <= 0.10, name + " at vocab " + vocab + ": encoder " + encoder
                        + ", gpt2 " + gpt2);
            }
        }
    }

    @Test
    void gpt2BaseIsGpt2sOwnShape() {
        Gpt2Config base = Presets.gpt2("gpt2-base", 50257);
        assertEquals(124_439_808, Gpt2Layout.of(base).parameterCount(), "openai-community/gpt2's parameter count");
        assertEquals(1024, base.maxPositions());
        assertTrue(base.tieWordEmbeddings());
    }

    @Test
    void presetsNameTheirFamily() {
        assertEquals(ModelFamily.CAUSAL_LM, Presets.family("gpt2-tiny"));
        assertEquals(ModelFamily.MASKED_LM, Presets.family("small"));
        InvalidConfigException e = assertThrows(InvalidConfigException.class, () -> Presets.family("gpt2-huge"));
        assertTrue(e.getMessage().contains("gpt2-tiny, gpt2-small, gpt2-base"), e.getMessage());
    }
}

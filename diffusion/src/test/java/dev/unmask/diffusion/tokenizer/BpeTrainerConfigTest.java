package dev.unmask.diffusion.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class BpeTrainerConfigTest {

    @Test
    void defaultsAreRobertas() {
        BpeTrainerConfig config = BpeTrainerConfig.of(8000);
        assertEquals(List.of("<s>", "<pad>", "</s>", "<unk>", "<mask>"), config.specialTokens());
        assertEquals(2, config.minFrequency());
        assertEquals(512, config.modelMaxLength());
        assertEquals(8000 - 261, config.mergesWanted());
        assertEquals(4, config.idOf("<mask>"));
        assertEquals(261, BpeTrainerConfig.of(261).vocabSize());
    }

    @Test
    void gpt2sLayoutHasOnlyEndOfTextAndAddsNothingAroundAText() {
        BpeTrainerConfig config = BpeTrainerConfig.gpt2(300);
        assertEquals(List.of("<|endoftext|>"), config.specialTokens());
        assertEquals(300 - 257, config.mergesWanted());
        assertFails(() -> config.withSpecialTokens(List.of("<s>")), "must include <|endoftext|>", "GPT-2");
        TrainedTokenizer trained = BpeTrainer.trainOnTexts(List.of("the cat sat", "the cat ran"), config);
        com.fasterxml.jackson.databind.JsonNode json = TokenizerJsonWriter.tokenizerJson(trained);
        assertEquals("ByteLevel", json.path("post_processor").path("type").asText());
        assertEquals(1, json.path("added_tokens").size());
        com.fasterxml.jackson.databind.JsonNode tokenizerConfig = TokenizerJsonWriter.tokenizerConfig(config);
        for (String role : List.of("bos_token", "eos_token", "unk_token")) {
            assertEquals("<|endoftext|>", tokenizerConfig.path(role).asText(), role);
        }
        for (String role : List.of("pad_token", "mask_token", "cls_token", "sep_token")) {
            assertTrue(tokenizerConfig.path(role).isMissingNode(), role + " is not a GPT-2 role");
        }
    }

    @Test
    void rejectsAVocabularySmallerThanSpecialsAndBytes() {
        assertFails(() -> BpeTrainerConfig.of(260), "vocabSize 260", "261", "5 special tokens + 256 byte symbols");
        assertFails(() -> BpeTrainerConfig.of(300).withSpecialTokens(
                List.of("<s>", "<pad>", "</s>", "<unk>", "<mask>", "<a>", "<b>", "<c>", "<d>", "<e>", "<f>", "<g>",
                        "<h>", "<i>", "<j>", "<k>", "<l>", "<m>", "<n>", "<o>", "<p>", "<q>", "<r>", "<t>", "<u>",
                        "<v>", "<w>", "<x>", "<y>", "<z>", "<aa>", "<ab>", "<ac>", "<ad>", "<ae>", "<af>", "<ag>",
                        "<ah>", "<ai>", "<aj>", "<ak>", "<al>", "<am>", "<an>", "<ao>")),
                "vocabSize 300", "301");
    }

    @Test
    void rejectsBadSpecialsAndSettings() {
        assertFails(() -> BpeTrainerConfig.of(1000).withSpecialTokens(List.of("<s>", "<pad>", "</s>", "<unk>")),
                "must include <mask>");
        assertFails(() -> BpeTrainerConfig.of(1000).withSpecialTokens(
                List.of("<s>", "<pad>", "</s>", "<unk>", "<mask>", "<s>")), "<s> is listed twice");
        assertFails(() -> BpeTrainerConfig.of(1000).withSpecialTokens(
                List.of("<s>", "<pad>", "</s>", "<unk>", "<mask>", "")), "null or empty");
        assertFails(() -> BpeTrainerConfig.of(1000).withSpecialTokens(
                Arrays.asList("<s>", "<pad>", "</s>", "<unk>", "<mask>", null)), "null or empty");
        assertFails(() -> BpeTrainerConfig.of(1000).withSpecialTokens(null), "must not be null");
        assertFails(() -> BpeTrainerConfig.of(1000).withMinFrequency(0), "minFrequency must be at least 1, got 0");
        assertFails(() -> BpeTrainerConfig.of(1000).withModelMaxLength(0), "modelMaxLength must be at least 1");
    }

    private static void assertFails(Executable create, String... fragments) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, create);
        for (String fragment : fragments) {
            assertTrue(e.getMessage().contains(fragment), () -> "'" + fragment + "' not in: " + e.getMessage());
        }
    }
}

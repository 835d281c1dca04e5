package dev.unmask.diffusion.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.unmask.diffusion.Fixtures;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** DJL's tokenizer over the fixtures' tokenizer.json gives transformers' encodings. */
class FixtureTokenizerTest {

    @ParameterizedTest
    @CsvSource({"tiny-roberta, roberta", "tiny-bert, bert"})
    void encodingsEqualTransformers(String model, String family) throws Exception {
        JsonNode meta = Fixtures.meta(family);
        try (TextTokenizer tokenizer = TextTokenizer.load(Fixtures.model(model))) {
            for (int i = 0; i < meta.get("texts").size(); i++) {
                String text = meta.get("texts").get(i).asText();
                JsonNode expected = meta.get("encodings").get(i);
                long[] ids = tokenizer.encode(text);
                long[] want = new long[expected.size()];
                for (int j = 0; j < want.length; j++) {
                    want[j] = expected.get(j).asLong();
                }
                assertArrayEquals(want, ids, text);
                String decoded = tokenizer.decode(ids);
                if (family.equals("roberta")) {
                    assertEquals(text, decoded); // byte-level BPE is lossless
                } else {
                    // WordPiece lowercases and its decoder cleans up spaces before punctuation
                    assertEquals(text.toLowerCase(Locale.ROOT).replace(" .", "."), decoded);
                }
                assertArrayEquals(ids, tokenizer.encode(decoded), "decode then encode gives the same ids");
            }
            assertEquals(meta.get("vocab").asInt(), tokenizer.vocabSize());
        }
    }

    @Test
    void robertaSpecialIds() throws Exception {
        try (TextTokenizer tokenizer = TextTokenizer.load(Fixtures.model("tiny-roberta"))) {
            assertEquals(new SpecialTokens(1, 4, 0, 2, 0, 2, 3), tokenizer.specials());
        }
    }

    @Test
    void bertSpecialIds() throws Exception {
        try (TextTokenizer tokenizer = TextTokenizer.load(Fixtures.model("tiny-bert"))) {
            assertEquals(new SpecialTokens(0, 4, -1, -1, 2, 3, 1), tokenizer.specials());
            assertEquals(2, tokenizer.specials().startId());
            assertEquals(3, tokenizer.specials().endId());
        }
    }
}

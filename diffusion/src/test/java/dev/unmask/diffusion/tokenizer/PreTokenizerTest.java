package dev.unmask.diffusion.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class PreTokenizerTest {

    @Test
    void splitsLikeGpt2() {
        assertEquals(List.of("Hello", ",", " world", "'s", " ", " end", "!!", "\n"),
                PreTokenizer.split("Hello, world's  end!!\n"));
        assertEquals(List.of("I", "'ll", " pay", " 42", ".", "50", " café", " 日本語"),
                PreTokenizer.split("I'll pay 42.50 café 日本語"));
        assertEquals(List.of("\t", " tab", "  ", "\n", "x", "   "), PreTokenizer.split("\t tab  \nx   "));
    }

    @Test
    void piecesCoverTheWholeText() {
        String text = "e\u0301 👍🏽 a\u00a0b\u2003c -- ?! ";
        assertEquals(text, String.join("", PreTokenizer.split(text)));
    }

    @Test
    void countsWords() {
        WordCounts counts = new WordCounts();
        counts.addText("the cat and the dog");
        counts.addText("the end");
        assertEquals(7, counts.total());
        assertEquals(1, counts.count(" the"));
        assertEquals(2, counts.count("the"));
        assertEquals(1, counts.count(" end"));
        assertEquals(6, counts.unique());
        assertEquals(2, counts.texts());
    }
}

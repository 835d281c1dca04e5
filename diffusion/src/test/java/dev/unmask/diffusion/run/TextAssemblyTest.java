package dev.unmask.diffusion.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;
import dev.unmask.diffusion.Fixtures;
import dev.unmask.diffusion.sample.Frame;
import dev.unmask.diffusion.sample.FrameListener;
import dev.unmask.diffusion.sample.GenerationConfig;
import dev.unmask.diffusion.sample.Strategy;
import dev.unmask.diffusion.tokenizer.TextTokenizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/**
 * Prompt and generated tokens read as the tokenizer's decoder writes them together: WordPiece
 * (tiny-bert: lowercase, {@code ##} pieces) and byte-level BPE (tiny-roberta).
 */
class TextAssemblyTest {
    static final String G = TextGenerator.MASK_GLYPH;

    @Test
    void wordPieceContinuationStartsWithTheDecodersSpace() throws Exception {
        try (TextTokenizer t = TextTokenizer.load(Fixtures.model("tiny-bert"))) {
            TextAssembly assembly = new TextAssembly(t, G);
            long[] prompt = withStart(t, t.encodePlain("She looked at"));
            String full = assembly.full(prompt, t.encodePlain("the country"));
            assertEquals("she looked at the country", full);
            assertEquals(" the country", assembly.continuation(prompt, full));
        }
    }

    @Test
    void wordPiecePieceJoinsItsWordWithoutASpace() throws Exception {
        try (TextTokenizer t = TextTokenizer.load(Fixtures.model("tiny-bert"))) {
            TextAssembly assembly = new TextAssembly(t, G);
            long[] word = t.encodePlain("unbelievable");
            assertTrue(word.length >= 3, "split into pieces: " + Arrays.toString(word));
            long[] prompt = withStart(t, LongStream.concat(Arrays.stream(t.encodePlain("she saw an")),
                    Arrays.stream(word, 0, 2)).toArray());
            long[] rest = Arrays.copyOfRange(word, 2, word.length);
            String full = assembly.full(prompt, rest);
            assertEquals("she saw an unbelievable", full);
            String continuation = assembly.continuation(prompt, full);
            assertEquals(t.decode(prompt) + continuation, full);
            assertTrue(!continuation.isEmpty() && !continuation.startsWith(" "), "a ## piece: " + continuation);
        }
    }

    @Test
    void byteLevelBpeKeepsItsOwnSpaces() throws Exception {
        try (TextTokenizer t = TextTokenizer.load(Fixtures.model("tiny-roberta"))) {
            TextAssembly assembly = new TextAssembly(t, G);
            long[] prompt = withStart(t, t.encodePlain("She looked at"));
            long[] generated = t.encodePlain(" the country");
            String full = assembly.full(prompt, generated);
            assertEquals("She looked at the country", full);
            assertEquals(" the country", assembly.continuation(prompt, full));
        }
    }

    @Test
    void masksAreDrawnWhereTheDecoderPutsTheMaskToken() throws Exception {
        try (TextTokenizer bert = TextTokenizer.load(Fixtures.model("tiny-bert"));
                TextTokenizer roberta = TextTokenizer.load(Fixtures.model("tiny-roberta"))) {
            assertEquals("she looked at " + G + " the " + G, new TextAssembly(bert, G).render(canvas(bert)));
            assertEquals("She looked at" + G + " the" + G, new TextAssembly(roberta, G).render(canvas(roberta)));
        }
    }

    @Test
    void generatorResultsAndFramesReadAsOneDecodedSequence() throws Exception {
        try (TextGenerator generator = TextGenerator.load(Fixtures.model("tiny-bert"), Device.cpu(), DataType.FLOAT32)) {
            TextTokenizer t = generator.tokenizer();
            List<Frame> frames = new ArrayList<>();
            GenerationConfig greedy = new GenerationConfig(Strategy.TOPK, 4, 0, 0, 1, 0.9, 0, true);
            GeneratedText g = generator.generate(List.of("She looked at"), new long[] {3}, 4, greedy, frames::add,
                    () -> false).get(0);
            long[] last = frames.get(frames.size() - 1).ids();
            int end = 1;
            while (end < last.length && last[end] != t.specials().endId() && last[end] != t.specials().padId()) {
                end++;
            }
            assertEquals(t.decode(Arrays.copyOf(last, end)), g.fullText(), "the decoder's text of prompt + generated");
            assertEquals("she looked at" + g.text(), g.fullText(), "text is what the generation adds");
            String first = generator.render(frames.get(0).ids());
            assertTrue(first.startsWith("she looked at "), first);
        }
    }

    @Test
    void aTemplateReadsAsTheWholeFilledTemplate() throws Exception {
        try (TextGenerator generator = TextGenerator.load(Fixtures.model("tiny-roberta"), Device.cpu(),
                DataType.FLOAT32)) {
            GenerationConfig greedy = new GenerationConfig(Strategy.TOPK, 2, 0, 0, 1, 0.9, 0, true);
            GeneratedText g = generator.generate(List.of("The jury<mask> the election."), new long[] {1}, 4, greedy,
                    FrameListener.NONE, () -> false).get(0);
            assertEquals(1, g.tokens());
            assertTrue(g.fullText().startsWith("The jury") && g.fullText().endsWith(" the election."), g.fullText());
            assertTrue(g.fullText().length() > "The jury the election.".length(), "the mask is filled: " + g.fullText());
            assertEquals(g.fullText(), g.text());
        }
    }

    /** [start] she looked at [MASK] the [MASK] [end] */
    private static long[] canvas(TextTokenizer t) {
        long mask = t.specials().maskId();
        long[] words = LongStream.concat(Arrays.stream(t.encodePlain("She looked at")),
                LongStream.of(mask)).toArray();
        words = LongStream.concat(Arrays.stream(words), Arrays.stream(t.encodePlain(t.specials().bosId() >= 0
                ? " the" : "the"))).toArray();
        long[] ids = LongStream.concat(Arrays.stream(withStart(t, words)), LongStream.of(mask, t.specials().endId()))
                .toArray();
        return ids;
    }

    private static long[] withStart(TextTokenizer t, long[] ids) {
        return LongStream.concat(LongStream.of(t.specials().startId()), Arrays.stream(ids)).toArray();
    }
}

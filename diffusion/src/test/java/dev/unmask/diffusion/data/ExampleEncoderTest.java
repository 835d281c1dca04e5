package dev.unmask.diffusion.data;

import dev.unmask.corpus.Document;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.unmask.diffusion.Fixtures;
import dev.unmask.diffusion.tokenizer.TextTokenizer;
import java.util.Arrays;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Examples are start + prompt + text + end, with the prompt's exact length in tokens. */
class ExampleEncoderTest {
    static TextTokenizer roberta;
    static TextTokenizer bert;

    @BeforeAll
    static void load() throws Exception {
        roberta = TextTokenizer.load(Fixtures.model("tiny-roberta"));
        bert = TextTokenizer.load(Fixtures.model("tiny-bert"));
    }

    @AfterAll
    static void close() {
        roberta.close();
        bert.close();
    }

    @Test
    void plainTextMatchesTheTokenizersOwnSpecialTokens() {
        String text = "The jury said the election was conducted well .";
        for (TextTokenizer tokenizer : new TextTokenizer[] {roberta, bert}) {
            Example example = new ExampleEncoder(tokenizer).encode(Document.of(text, "t:1"));
            assertArrayEquals(tokenizer.encode(text), example.ids());
            assertEquals(1, example.promptLength(), "the start token is never masked");
        }
    }

    @Test
    void promptLengthCountsStartAndPromptTokens() {
        String prompt = "It is hard to say what the Senate will do";
        String completion = " about the new tax bill next year .";
        Example example = new ExampleEncoder(roberta).encode(new Document(prompt, completion, "pc:1"));
        long[] promptIds = roberta.encodePlain(prompt);
        long[] completionIds = roberta.encodePlain(completion);
        assertEquals(1 + promptIds.length, example.promptLength());
        long[] want = LongStream.concat(LongStream.concat(LongStream.of(0), Arrays.stream(promptIds)),
                LongStream.concat(Arrays.stream(completionIds), LongStream.of(2))).toArray();
        assertArrayEquals(want, example.ids());
        assertEquals(0, example.ids()[0]);
        assertEquals(2, example.ids()[example.length() - 1]);
        assertEquals(prompt, roberta.decode(Arrays.copyOfRange(example.ids(), 1, example.promptLength())));
        assertEquals(completion, roberta.decode(
                Arrays.copyOfRange(example.ids(), example.promptLength(), example.length() - 1)));
    }

    @Test
    void emptyPromptLeavesOnlyTheStartToken() {
        Example example = new ExampleEncoder(roberta).encode(new Document("", "hello", "pc:2"));
        assertEquals(1, example.promptLength());
        assertArrayEquals(roberta.encode("hello"), example.ids());
    }

    @Test
    void bertUsesClsAndSep() {
        Example example = new ExampleEncoder(bert).encode(new Document("the jury", " said", "pc:3"));
        assertEquals(2, example.ids()[0]);
        assertEquals(3, example.ids()[example.length() - 1]);
        assertEquals(1 + bert.encodePlain("the jury").length, example.promptLength());
    }
}

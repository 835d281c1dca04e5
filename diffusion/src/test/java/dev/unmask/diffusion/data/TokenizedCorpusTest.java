package dev.unmask.diffusion.data;

import dev.unmask.corpus.CorpusFormat;
import dev.unmask.corpus.CorpusReader;
import dev.unmask.corpus.Document;

import dev.unmask.corpus.CorpusException;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unmask.diffusion.Fixtures;
import dev.unmask.diffusion.tokenizer.TextTokenizer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Corpora become exact rows of seqLen: packed, padded, split by document, counted. */
class TokenizedCorpusTest {
    static final String[] WORDS = {"the", "jury", "said", "election", "was", "conducted", "well", "it", "is",
        "hard", "to", "say", "what", "Senate", "will", "do", "about", "new", "tax", "bill", "next", "year"};

    static TextTokenizer roberta;
    @TempDir Path tmp;

    @BeforeAll
    static void load() throws Exception {
        roberta = TextTokenizer.load(Fixtures.model("tiny-roberta"));
    }

    @AfterAll
    static void close() {
        roberta.close();
    }

    /** Document {@code i}: a unique number and a varying run of words. */
    static String document(int i) {
        StringBuilder s = new StringBuilder("doc " + i + ":");
        for (int w = 0; w < 3 + (i * 7) % 19; w++) {
            s.append(' ').append(WORDS[(i * 5 + w * 3) % WORDS.length]);
        }
        return s.append(" .").toString();
    }

    Path textCorpus(String name, int documents) throws Exception {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < documents; i++) {
            s.append(document(i)).append(i % 4 == 0 ? "\n\n" : "\n");
        }
        return Files.writeString(tmp.resolve(name), s.toString());
    }

    Path promptCorpus(String name, int documents) throws Exception {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < documents; i++) {
            String text = document(i);
            int cut = text.indexOf(':') + 1;
            s.append(String.format("{\"prompt\": \"%s\", \"completion\": \"%s\"}%n",
                    text.substring(0, cut), text.substring(cut)));
        }
        return Files.writeString(tmp.resolve(name), s.toString());
    }

    static long[] concatenate(List<Example> examples) {
        return examples.stream().flatMapToLong(e -> Arrays.stream(e.ids())).toArray();
    }

    @Test
    void packingCutsTheConcatenatedExamplesIntoExactBlocks() throws Exception {
        Path file = textCorpus("pack.txt", 40);
        DataConfig config = DataConfig.of(16, Packing.PACK).withHeldOutFraction(0);
        TokenizedCorpus corpus = TokenizedCorpus.build(List.of(file), CorpusFormat.TEXT, roberta, config);

        ExampleEncoder encoder = new ExampleEncoder(roberta);
        List<Example> examples = CorpusReader.readAll(file, CorpusFormat.TEXT).stream().map(encoder::encode).toList();
        long[] all = concatenate(examples);
        assertEquals(all.length / 16, corpus.train().size());
        long[] packed = corpus.train().stream().flatMapToLong(s -> Arrays.stream(s.ids())).toArray();
        assertArrayEquals(Arrays.copyOf(all, packed.length), packed, "blocks are the concatenation's prefix");
        for (Sequence s : corpus.train()) {
            assertEquals(16, s.length());
            assertEquals(0, s.promptLength());
            assertTrue(Arrays.stream(s.attentionMask()).allMatch(m -> m == 1));
        }
        assertTrue(corpus.heldOut().isEmpty());
        SplitStats stats = corpus.trainStats();
        assertEquals(new SplitStats(40, all.length, all.length / 16, all.length / 16 * 16L, 0, 0), stats);
        assertEquals(40, corpus.documents());
        assertEquals(all.length, corpus.tokens());
    }

    @Test
    void packerKeepsEveryTokenUpToTheLastFullBlock() {
        List<Example> examples = List.of(
                new Example(new long[] {0, 10, 11, 2}, 1),
                new Example(new long[] {0, 12, 13, 14, 15, 16, 17, 18, 19, 20, 2}, 1),
                new Example(new long[] {0, 21, 2}, 1));
        List<Sequence> blocks = SequencePacker.pack(examples, 8);
        assertEquals(2, blocks.size());
        assertArrayEquals(new long[] {0, 10, 11, 2, 0, 12, 13, 14}, blocks.get(0).ids());
        assertArrayEquals(new long[] {15, 16, 17, 18, 19, 20, 2, 0}, blocks.get(1).ids());
        assertTrue(SequencePacker.pack(examples.subList(0, 1), 8).isEmpty());
    }

    @Test
    void paddingMasksPaddingAndTruncationKeepsTheEndToken() throws Exception {
        Path file = Files.writeString(tmp.resolve("pad.txt"),
                "the jury\n" + "It is hard to say what the Senate will do about the new tax bill next year .\n");
        DataConfig config = DataConfig.of(8, Packing.PAD).withHeldOutFraction(0);
        TokenizedCorpus corpus = TokenizedCorpus.build(List.of(file), CorpusFormat.TEXT, roberta, config);
        assertEquals(2, corpus.train().size());

        Sequence shortRow = corpus.train().get(0);
        long[] shortIds = roberta.encode("the jury");
        assertTrue(shortIds.length < 8);
        for (int j = 0; j < 8; j++) {
            assertEquals(j < shortIds.length ? shortIds[j] : 1, shortRow.ids()[j], "pad id 1 after the tokens");
            assertEquals(j < shortIds.length ? 1 : 0, shortRow.attentionMask()[j]);
        }
        assertEquals(1, shortRow.promptLength());

        Sequence longRow = corpus.train().get(1);
        long[] longIds = roberta.encode("It is hard to say what the Senate will do about the new tax bill next year .");
        assertTrue(longIds.length > 8);
        assertArrayEquals(Arrays.copyOf(longIds, 7), Arrays.copyOf(longRow.ids(), 7));
        assertEquals(2, longRow.ids()[7], "the end token is kept last");
        assertTrue(Arrays.stream(longRow.attentionMask()).allMatch(m -> m == 1));

        SplitStats stats = corpus.trainStats();
        assertEquals(1, stats.truncated());
        assertEquals(shortIds.length + longIds.length, stats.tokens());
        assertEquals(shortIds.length + 8, stats.usedTokens());
    }

    @Test
    void aTokenizerWithoutAPadTokenPadsWithEndOfTextUnderTheAttentionMask() throws Exception {
        // GPT-2's tokenizer has no pad token: the fixture's, with its <pad> renamed to a plain token
        Path dir = Files.createDirectories(tmp.resolve("no-pad"));
        Path fixture = Fixtures.gpt2("tiny-gpt2");
        Files.writeString(dir.resolve("tokenizer.json"),
                Files.readString(fixture.resolve("tokenizer.json")).replace("\"<pad>\"", "\"<blank>\""));
        Files.copy(fixture.resolve("tokenizer_config.json"), dir.resolve("tokenizer_config.json"));
        try (TextTokenizer gpt2 = TextTokenizer.load(dir)) {
            assertEquals(-1, gpt2.specials().padId(), "no pad token");
            int eos = gpt2.specials().eosId();
            assertTrue(eos >= 0);
            Path file = promptCorpus("pc-gpt2.jsonl", 6);
            DataConfig config = DataConfig.of(64, Packing.PAD).withHeldOutFraction(0);
            TokenizedCorpus corpus = TokenizedCorpus.build(List.of(file), CorpusFormat.PROMPT_COMPLETION, gpt2, config);
            assertEquals(6, corpus.train().size());
            for (Sequence row : corpus.train()) {
                int tokens = (int) Arrays.stream(row.attentionMask()).sum();
                assertTrue(tokens < 64, "short documents, padded");
                for (int j = tokens; j < 64; j++) {
                    assertEquals(eos, row.ids()[j], "end-of-text fills the row");
                    assertEquals(0, row.attentionMask()[j], "and the attention mask marks it as padding");
                }
            }
        }
    }

    @Test
    void promptLengthsOfPromptCompletionRows() throws Exception {
        Path file = promptCorpus("pc.jsonl", 12);
        DataConfig config = DataConfig.of(64, Packing.PAD).withHeldOutFraction(0);
        TokenizedCorpus corpus = TokenizedCorpus.build(List.of(file), CorpusFormat.AUTO, roberta, config);
        assertEquals(12, corpus.train().size());
        for (int i = 0; i < 12; i++) {
            String text = document(i);
            int cut = text.indexOf(':') + 1;
            Sequence row = corpus.train().get(i);
            long[] prompt = roberta.encodePlain(text.substring(0, cut));
            long[] completion = roberta.encodePlain(text.substring(cut));
            assertEquals(1 + prompt.length, row.promptLength());
            assertEquals(0, row.ids()[0]);
            assertArrayEquals(prompt, Arrays.copyOfRange(row.ids(), 1, row.promptLength()));
            int end = row.promptLength() + completion.length;
            assertArrayEquals(completion, Arrays.copyOfRange(row.ids(), row.promptLength(), end));
            assertEquals(2, row.ids()[end]);
            assertEquals(end + 1, row.tokens());
        }
    }

    @Test
    void truncationNeverCutsIntoThePromptAndDropsRowsWithoutRoom() {
        List<Example> examples = List.of(
                new Example(new long[] {0, 5, 6, 7, 8, 9, 10, 11, 12, 13, 2}, 3),
                new Example(new long[] {0, 5, 6, 7, 8, 9, 10, 11, 12, 13, 2}, 7),
                new Example(new long[] {0, 5, 6, 7, 2}, 4));
        DataConfig config = DataConfig.of(8, Packing.PAD).withHeldOutFraction(0);
        TokenizedCorpus corpus = TokenizedCorpus.fromExamples(examples, config, roberta.specials(), 1000);
        assertEquals(2, corpus.train().size());
        assertArrayEquals(new long[] {0, 5, 6, 7, 8, 9, 10, 2}, corpus.train().get(0).ids());
        assertEquals(3, corpus.train().get(0).promptLength());
        assertArrayEquals(new long[] {0, 5, 6, 7, 2, 1, 1, 1}, corpus.train().get(1).ids());
        assertEquals(4, corpus.train().get(1).promptLength());
        assertEquals(1, corpus.trainStats().dropped());
        assertEquals(1, corpus.trainStats().truncated());
    }

    @Test
    void packIsRefusedForPromptCompletion() throws Exception {
        Path file = promptCorpus("refuse.jsonl", 3);
        DataConfig config = DataConfig.of(16, Packing.PACK);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TokenizedCorpus.build(List.of(file), CorpusFormat.AUTO, roberta, config));
        assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("use packing PAD"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> TokenizedCorpus.build(List.of(file), CorpusFormat.PROMPT_COMPLETION, roberta, config));
        assertThrows(IllegalArgumentException.class, () -> TokenizedCorpus.fromExamples(
                List.of(new Example(new long[] {0, 9, 9, 2}, 2)), config, roberta.specials(), 1000));
    }

    @Test
    void emptyCorpusNamesEveryFile() throws Exception {
        Path a = Files.writeString(tmp.resolve("a.txt"), "\n   \n\n");
        Path b = Files.writeString(tmp.resolve("b.jsonl"), "\n{\"text\": \"  \"}\n");
        CorpusException e = assertThrows(CorpusException.class, () -> TokenizedCorpus.build(
                List.of(a, b), CorpusFormat.AUTO, roberta, DataConfig.of(16, Packing.PAD)));
        assertTrue(e.getMessage().contains("empty corpus"), e.getMessage());
        assertTrue(e.getMessage().contains(a.toString()) && e.getMessage().contains(b.toString()), e.getMessage());
        assertEquals(List.of(a, b), e.files());
        assertEquals(0, e.line());
    }

    @Test
    void tooLittleTextToPackIsExplained() throws Exception {
        Path file = Files.writeString(tmp.resolve("tiny.txt"), "the jury\n");
        CorpusException e = assertThrows(CorpusException.class, () -> TokenizedCorpus.build(
                List.of(file), CorpusFormat.TEXT, roberta, DataConfig.of(64, Packing.PACK)));
        assertTrue(e.getMessage().contains("fewer than seqLen = 64") && e.getMessage().contains(file.toString()),
                e.getMessage());
    }

    @Test
    void badDataFailsTheBuildWithFileAndLine() throws Exception {
        Path good = textCorpus("good.txt", 5);
        Path bad = Files.writeString(tmp.resolve("bad.jsonl"), "{\"text\": \"fine\"}\n{\"text\": 1}\n");
        CorpusException e = assertThrows(CorpusException.class, () -> TokenizedCorpus.build(
                List.of(good, bad), CorpusFormat.AUTO, roberta, DataConfig.of(16, Packing.PAD)));
        assertEquals(bad + ":2: field \"text\" must be a string, got number", e.getMessage());
    }

    @Test
    void splitIsDeterministicDisjointAndChangesWithTheSeed() throws Exception {
        Path file = textCorpus("split.txt", 100);
        DataConfig config = DataConfig.of(64, Packing.PAD).withHeldOutFraction(0.1).withSeed(7);
        TokenizedCorpus first = TokenizedCorpus.build(List.of(file), CorpusFormat.TEXT, roberta, config);
        TokenizedCorpus again = TokenizedCorpus.build(List.of(file), CorpusFormat.TEXT, roberta, config);
        TokenizedCorpus other = TokenizedCorpus.build(List.of(file), CorpusFormat.TEXT, roberta, config.withSeed(8));

        assertEquals(first.train(), again.train());
        assertEquals(first.heldOut(), again.heldOut());
        assertEquals(10, first.heldOut().size());
        assertEquals(90, first.train().size());
        assertEquals(10, first.heldOutStats().documents());
        assertNotEquals(first.heldOut(), other.heldOut());

        Set<String> train = texts(first.train());
        Set<String> heldOut = texts(first.heldOut());
        assertEquals(90, train.size());
        assertEquals(10, heldOut.size());
        Set<String> union = new HashSet<>(train);
        union.addAll(heldOut);
        Set<String> all = new HashSet<>();
        IntStream.range(0, 100).forEach(i -> all.add(document(i)));
        assertEquals(all, union, "every document is in exactly one split");
    }

    @Test
    void packedSplitsShareNoDocument() throws Exception {
        Path file = textCorpus("packsplit.txt", 60);
        DataConfig config = DataConfig.of(8, Packing.PACK).withHeldOutFraction(0.2).withSeed(3);
        TokenizedCorpus corpus = TokenizedCorpus.build(List.of(file), CorpusFormat.TEXT, roberta, config);
        DocumentSplit split = DocumentSplit.of(60, config);
        ExampleEncoder encoder = new ExampleEncoder(roberta);
        List<Document> docs = CorpusReader.readAll(file, CorpusFormat.TEXT);
        List<Example> heldOut = new ArrayList<>();
        for (int i : split.heldOut()) {
            heldOut.add(encoder.encode(docs.get(i)));
        }
        long[] want = concatenate(heldOut);
        long[] got = corpus.heldOut().stream().flatMapToLong(s -> Arrays.stream(s.ids())).toArray();
        assertTrue(got.length >= 8, "the held-out split packs at least one block");
        assertArrayEquals(Arrays.copyOf(want, got.length), got);
        assertEquals(12, corpus.heldOutStats().documents());
    }

    @Test
    void documentSplitProperties() {
        DataConfig config = DataConfig.of(8, Packing.PAD).withHeldOutFraction(0.25).withSeed(11);
        DocumentSplit split = DocumentSplit.of(40, config);
        assertEquals(split, DocumentSplit.of(40, config));
        assertNotEquals(split, DocumentSplit.of(40, config.withSeed(12)));
        assertEquals(10, split.heldOut().length);
        int[] merged = IntStream.concat(Arrays.stream(split.train()), Arrays.stream(split.heldOut())).sorted().toArray();
        assertArrayEquals(IntStream.range(0, 40).toArray(), merged);
        assertTrue(isAscending(split.train()) && isAscending(split.heldOut()));
        assertEquals(0, DocumentSplit.of(40, config.withHeldOutFraction(0)).heldOut().length);
    }

    @Test
    void trainingTokenFrequenciesCountLearnedPositions() {
        List<Example> examples = List.of(
                new Example(new long[] {0, 7, 8, 2}, 1),
                new Example(new long[] {0, 9, 7, 7, 2}, 2));
        DataConfig config = DataConfig.of(8, Packing.PAD).withHeldOutFraction(0);
        long[] counts = TokenizedCorpus.fromExamples(examples, config, roberta.specials(), 12).tokenFrequencies();
        long[] want = new long[12];
        want[7] = 3;
        want[8] = 1;
        want[2] = 2;
        assertArrayEquals(want, counts, "after the prompt, not padding; start tokens are prompt");
    }

    @Test
    void frequenciesCoverTheVocabularyAndOnlyTheTrainingSplit() throws Exception {
        Path file = textCorpus("freq.txt", 50);
        DataConfig config = DataConfig.of(16, Packing.PACK).withHeldOutFraction(0.2);
        TokenizedCorpus corpus = TokenizedCorpus.build(List.of(file), CorpusFormat.TEXT, roberta, config);
        long[] counts = corpus.tokenFrequencies();
        assertEquals(roberta.vocabSize(), counts.length);
        assertEquals(corpus.train().size() * 16L, Arrays.stream(counts).sum());
        assertEquals(corpus.trainStats().usedTokens(), Arrays.stream(counts).sum());
        counts[0] = -1;
        assertFalse(corpus.tokenFrequencies()[0] == -1, "a copy");
    }

    private static boolean isAscending(int[] a) {
        for (int i = 1; i < a.length; i++) {
            if (a[i - 1] >= a[i]) {
                return false;
            }
        }
        return true;
    }

    private static Set<String> texts(List<Sequence> rows) {
        Set<String> texts = new HashSet<>();
        for (Sequence row : rows) {
            texts.add(roberta.decode(Arrays.copyOf(row.ids(), row.tokens())));
        }
        return texts;
    }
}

package dev.unmask.diffusion.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.unmask.diffusion.Fixtures;
import dev.unmask.diffusion.util.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BpeTrainerTest {
    private static final int VOCAB = 1000;

    @TempDir
    static Path dir;
    static Path corpus;
    static TrainedTokenizer trained;
    static Path saved;
    static TextTokenizer tokenizer;

    @BeforeAll
    static void train() throws IOException {
        List<String> lines = TestCorpus.lines(3000, 7);
        corpus = TestCorpus.write(dir.resolve("corpus.txt"), lines);
        trained = BpeTrainer.train(List.of(corpus), BpeTrainerConfig.of(VOCAB).withModelMaxLength(256));
        saved = dir.resolve("tokenizer");
        trained.save(saved);
        tokenizer = TextTokenizer.load(saved);
    }

    @AfterAll
    static void close() {
        if (tokenizer != null) {
            tokenizer.close();
        }
    }

    @Test
    void specialTokensAreIdsZeroToFour() throws IOException {
        assertEquals(BpeTrainerConfig.DEFAULT_SPECIALS, trained.vocab().subList(0, 5));
        JsonNode json = Json.read(saved.resolve("tokenizer.json"));
        JsonNode added = json.get("added_tokens");
        assertEquals(5, added.size());
        for (int id = 0; id < 5; id++) {
            assertEquals(id, added.get(id).get("id").asInt());
            assertEquals(BpeTrainerConfig.DEFAULT_SPECIALS.get(id), added.get(id).get("content").asText());
            assertTrue(added.get(id).get("special").asBoolean());
            assertEquals(id, json.get("model").get("vocab").get(BpeTrainerConfig.DEFAULT_SPECIALS.get(id)).asInt());
        }
        assertTrue(added.get(4).get("lstrip").asBoolean(), "<mask> strips the space before it, like RoBERTa");
        SpecialTokens specials = tokenizer.specials();
        assertEquals(new SpecialTokens(1, 4, 0, 2, 0, 2, 3), specials);
    }

    @Test
    void filesMirrorTheRobertaLayout() throws IOException {
        JsonNode json = Json.read(saved.resolve("tokenizer.json"));
        assertEquals("ByteLevel", json.get("pre_tokenizer").get("type").asText());
        assertFalse(json.get("pre_tokenizer").get("add_prefix_space").asBoolean());
        assertEquals("RobertaProcessing", json.get("post_processor").get("type").asText());
        assertEquals("[\"<s>\",0]", Json.compact(json.get("post_processor").get("cls")));
        assertEquals("[\"</s>\",2]", Json.compact(json.get("post_processor").get("sep")));
        assertEquals("ByteLevel", json.get("decoder").get("type").asText());
        JsonNode model = json.get("model");
        assertEquals("BPE", model.get("type").asText());
        JsonNode firstMerge = model.get("merges").get(0);
        assertTrue(firstMerge.isArray() && firstMerge.size() == 2, "merges are [left, right] pairs");
        // same keys, same order as the reference RoBERTa tokenizer.json
        JsonNode reference = Json.read(Fixtures.model("tiny-roberta").resolve("tokenizer.json"));
        assertEquals(fieldNames(reference), fieldNames(json));
        assertEquals(fieldNames(reference.get("model")), fieldNames(model));
        assertEquals(reference.get("pre_tokenizer"), json.get("pre_tokenizer"));
        assertEquals(reference.get("post_processor"), json.get("post_processor"));
        assertEquals(reference.get("decoder"), json.get("decoder"));

        JsonNode config = Json.read(saved.resolve("tokenizer_config.json"));
        assertEquals("PreTrainedTokenizerFast", config.get("tokenizer_class").asText());
        assertEquals(256, config.get("model_max_length").asInt());
        assertEquals("<s>", config.get("bos_token").asText());
        assertEquals("<s>", config.get("cls_token").asText());
        assertEquals("</s>", config.get("eos_token").asText());
        assertEquals("</s>", config.get("sep_token").asText());
        assertEquals("<unk>", config.get("unk_token").asText());
        assertEquals("<pad>", config.get("pad_token").asText());
        assertEquals("<mask>", config.get("mask_token").asText());
    }

    @Test
    void vocabularyHasExactlyTheRequestedSize() throws IOException {
        assertEquals(VOCAB, trained.vocabSize());
        assertEquals(VOCAB, tokenizer.vocabSize());
        assertEquals(VOCAB, Json.read(saved.resolve("tokenizer.json")).get("model").get("vocab").size());
        assertEquals(VOCAB, new HashSet<>(trained.vocab()).size(), "no token spelled twice");
        assertEquals(VOCAB - 261, trained.merges().size());
        assertEquals(VOCAB - 261, trained.stats().merges());
        assertEquals(ByteLevelAlphabet.symbols(), trained.vocab().subList(5, 261));
        for (int i = 0; i < trained.merges().size(); i++) {
            assertEquals(trained.merges().get(i).merged(), trained.vocab().get(261 + i));
        }
        TrainingStats stats = trained.stats();
        assertEquals(3000, stats.texts());
        assertTrue(stats.words() > 30_000 && stats.uniqueWords() > 400, stats.toString());
    }

    @Test
    void encodeWrapsTheTextInBosAndEos() {
        String text = "the kalo of minte";
        long[] plain = tokenizer.encodePlain(text);
        long[] full = tokenizer.encode(text);
        assertEquals(plain.length + 2, full.length);
        assertEquals(0, full[0]);
        assertEquals(2, full[full.length - 1]);
        assertArrayEquals(plain, Arrays.copyOfRange(full, 1, full.length - 1));
        assertEquals(text, tokenizer.decode(full));
        assertEquals("<s>" + text + "</s>", tokenizer.decode(full, false));
    }

    @Test
    void frequentWordsBecomeSingleTokens() {
        for (String word : TestCorpus.COMMON) {
            assertTrue(trained.vocab().contains("Ġ" + word), word);
            assertEquals(1, tokenizer.encodePlain(" " + word).length, word);
        }
        assertEquals(3, tokenizer.encodePlain("the of and").length);
        long[] ids = tokenizer.encodePlain(" the");
        assertEquals(trained.vocab().indexOf("Ġthe"), ids[0]);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "",
        "The quick brown fox jumps over the lazy dog.",
        "Hello, World! 123 456.78 -- (parens) [brackets] {braces} <angle> \"quotes\" 'single'",
        "café naïve résumé Ångström Æsir Øresund façade über Straße",
        "日本語のテキスト、中文字符和한국어",
        "emoji 😀👍🏽 family 👨‍👩‍👧‍👦 flag 🇫🇷",
        "e\u0301 a\u0308 n\u0303 \u0915\u094d\u0937 combining",
        "\ttab\tand\nnewline\r\nand  multiple   spaces    \n\n",
        "   leading and trailing   ",
        "ẞ Ω ж ש ع ह ⅞ ∑ 𝔘𝔫𝔪𝔞𝔰𝔨 \u0000 \u0007 \u00ad \u200b \ufeff \uffff",
    })
    void roundTripsText(String text) {
        assertEquals(text, tokenizer.decode(tokenizer.encodePlain(text), false));
        assertEquals(text, tokenizer.decode(tokenizer.encode(text)));
    }

    @Test
    void roundTripsRandomCodePoints() {
        Random random = new Random(20240611L);
        int checked = 0;
        for (int n = 0; n < 400; n++) {
            StringBuilder text = new StringBuilder();
            int length = random.nextInt(40);
            for (int i = 0; i < length; i++) {
                text.appendCodePoint(randomCodePoint(random));
            }
            String s = text.toString();
            if (BpeTrainerConfig.DEFAULT_SPECIALS.stream().anyMatch(s::contains)) {
                continue; // a literal special token is matched as that token
            }
            long[] ids = tokenizer.encodePlain(s);
            assertEquals(s, tokenizer.decode(ids, false), () -> "code points " + s.codePoints()
                    .mapToObj(Integer::toHexString).toList());
            checked++;
        }
        assertTrue(checked > 350);
    }

    private static int randomCodePoint(Random random) {
        return switch (random.nextInt(8)) {
            case 0, 1 -> 0x20 + random.nextInt(0x5F); // printable ASCII
            case 2 -> " \t\n\r\u00a0\u3000".charAt(random.nextInt(6));
            case 3 -> 0xA0 + random.nextInt(0x250 - 0xA0); // Latin-1, Latin Extended
            case 4 -> 0x300 + random.nextInt(0x70); // combining marks
            case 5 -> 0x4E00 + random.nextInt(0x5200); // CJK
            case 6 -> 0x1F300 + random.nextInt(0x400); // emoji and symbols
            default -> {
                int cp;
                do {
                    cp = random.nextInt(0x110000);
                } while (cp >= Character.MIN_SURROGATE && cp <= Character.MAX_SURROGATE);
                yield cp;
            }
        };
    }

    @Test
    void trainingIsDeterministic() throws IOException {
        TrainedTokenizer again = BpeTrainer.train(List.of(corpus), BpeTrainerConfig.of(VOCAB).withModelMaxLength(256));
        Path other = dir.resolve("again");
        again.save(other);
        assertEquals(-1, Files.mismatch(saved.resolve("tokenizer.json"), other.resolve("tokenizer.json")));
        assertEquals(-1, Files.mismatch(saved.resolve("tokenizer_config.json"), other.resolve("tokenizer_config.json")));

        List<String> lines = Files.readAllLines(corpus, StandardCharsets.UTF_8);
        TrainedTokenizer fromTexts = BpeTrainer.trainOnTexts(lines, BpeTrainerConfig.of(VOCAB).withModelMaxLength(256));
        assertEquals(trained.vocab(), fromTexts.vocab());
        assertEquals(trained.merges(), fromTexts.merges());
    }

    @Test
    void mergesStopBelowTheMinimumFrequency() {
        List<String> texts = List.of("ab ab ab", "cd");
        TrainedTokenizer twice = BpeTrainer.trainOnTexts(texts, BpeTrainerConfig.of(1000));
        // (a, b) occurs 3 times, then (Ġ, ab) twice; (c, d) once is too rare
        assertEquals(List.of(new TrainedTokenizer.Merge("a", "b"), new TrainedTokenizer.Merge("Ġ", "ab")),
                twice.merges());
        assertEquals(263, twice.vocabSize());
        TrainedTokenizer once = BpeTrainer.trainOnTexts(texts, BpeTrainerConfig.of(1000).withMinFrequency(1));
        assertTrue(once.vocab().contains("cd"));
        assertTrue(once.vocabSize() < 1000);
    }

    @Test
    void mergesMatchTheHuggingFaceTrainer() throws IOException {
        // merges that tokenizers' own BpeTrainer learned from the same corpus (see the fixture's "source")
        JsonNode reference = Json.read(resource("/bpe/hf-trainer-merges.json"));
        assertEquals(VOCAB, reference.get("vocab_size").asInt());
        List<TrainedTokenizer.Merge> expected = new java.util.ArrayList<>();
        for (JsonNode merge : reference.get("merges")) {
            expected.add(new TrainedTokenizer.Merge(merge.get(0).asText(), merge.get(1).asText()));
        }
        assertEquals(expected, trained.merges());
    }

    @Test
    void tiesGoToThePairWithLowerIds() {
        // every pair occurs twice: the merge order is the order of (left id, right id); the byte
        // symbols' ids follow their code points
        TrainedTokenizer t = BpeTrainer.trainOnTexts(List.of("zy", "zy", "ba", "ba", "dc", "dc"), BpeTrainerConfig.of(264));
        assertEquals(List.of(new TrainedTokenizer.Merge("b", "a"), new TrainedTokenizer.Merge("d", "c"),
                new TrainedTokenizer.Merge("z", "y")), t.merges());
    }

    @Test
    void overlappingPairsMergeLeftToRight() throws IOException {
        TrainedTokenizer t = BpeTrainer.trainOnTexts(List.of("aaaaa aaaaa aaaaa"), BpeTrainerConfig.of(264));
        // "aaaaa" -> aa aa a -> aaaa a ; " aaaaa" -> Ġ aa aa a ...
        assertEquals(new TrainedTokenizer.Merge("a", "a"), t.merges().get(0));
        Path out = dir.resolve("overlap");
        t.save(out);
        try (TextTokenizer loaded = TextTokenizer.load(out)) {
            for (String s : List.of("aaaaa", "aaa", "a aaaa aaaaaaa")) {
                assertEquals(s, loaded.decode(loaded.encodePlain(s), false));
            }
        }
    }

    @Test
    void neverMergesIntoASpecialToken() {
        TrainedTokenizer t = BpeTrainer.trainOnTexts(List.of("<s> <mask> <s><s><mask>", "<s> <mask>"),
                BpeTrainerConfig.of(400));
        assertEquals(t.vocabSize(), new HashSet<>(t.vocab()).size());
        assertEquals(0, t.vocab().indexOf("<s>"));
        assertEquals(4, t.vocab().indexOf("<mask>"));
        assertFalse(t.merges().stream().anyMatch(m -> BpeTrainerConfig.DEFAULT_SPECIALS.contains(m.merged())));
    }

    @Test
    void extraSpecialTokensFollowTheRobertaOnes() throws IOException {
        BpeTrainerConfig config = BpeTrainerConfig.of(300)
                .withSpecialTokens(List.of("<s>", "<pad>", "</s>", "<unk>", "<mask>", "<sep2>"));
        TrainedTokenizer t = BpeTrainer.trainOnTexts(TestCorpus.lines(200, 1), config);
        assertEquals("<sep2>", t.vocab().get(5));
        assertEquals(ByteLevelAlphabet.symbols(), t.vocab().subList(6, 262));
        Path out = dir.resolve("extra");
        t.save(out);
        JsonNode tokenizerConfig = Json.read(out.resolve("tokenizer_config.json"));
        assertEquals("[\"<sep2>\"]", Json.compact(tokenizerConfig.get("additional_special_tokens")));
        try (TextTokenizer loaded = TextTokenizer.load(out)) {
            assertEquals(new SpecialTokens(1, 4, 0, 2, 0, 2, 3), loaded.specials());
            assertArrayEquals(new long[] {5}, loaded.encodePlain("<sep2>"));
        }
    }

    @Test
    void invalidUtf8FailsNamingFileAndLine() throws IOException {
        Path bad = dir.resolve("bad-corpus.txt");
        byte[] good = "fine line\nanother fine line\n".getBytes(StandardCharsets.UTF_8);
        byte[] broken = {'o', 'o', 'p', 's', ' ', (byte) 0xFF, 'x', '\n'};
        byte[] bytes = Arrays.copyOf(good, good.length + broken.length);
        System.arraycopy(broken, 0, bytes, good.length, broken.length);
        Files.write(bad, bytes);
        IOException e = assertThrows(IOException.class,
                () -> BpeTrainer.train(List.of(corpus, bad), BpeTrainerConfig.of(VOCAB)));
        assertTrue(e.getMessage().contains(bad.toString()), e.getMessage());
        assertTrue(e.getMessage().contains(bad + ":3:"), e.getMessage()); // file:line: reason
        assertTrue(e.getMessage().contains("invalid UTF-8"), e.getMessage());
    }

    @Test
    void noCorpusFilesFailsClearly() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BpeTrainer.train(List.of(), BpeTrainerConfig.of(VOCAB)));
        assertTrue(e.getMessage().contains("no corpus files"));
    }

    private static Path resource(String name) {
        try {
            return Path.of(BpeTrainerTest.class.getResource(name).toURI());
        } catch (java.net.URISyntaxException | NullPointerException e) {
            throw new IllegalStateException("missing test resource " + name, e);
        }
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new java.util.ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}

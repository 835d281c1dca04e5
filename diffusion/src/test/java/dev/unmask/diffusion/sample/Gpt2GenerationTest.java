package dev.unmask.diffusion.sample;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import dev.unmask.diffusion.Fixtures;
import dev.unmask.diffusion.checkpoint.Gpt2CheckpointReader;
import dev.unmask.diffusion.checkpoint.SafetensorsReader;
import dev.unmask.diffusion.model.GradMode;
import dev.unmask.diffusion.model.Gpt2Model;
import dev.unmask.diffusion.model.KvCache;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** KV-cached decoding on the tiny-gpt2 fixture against recomputing the whole sequence every step. */
class Gpt2GenerationTest {
    static final Path FIXTURE = Fixtures.gpt2("tiny-gpt2");
    static final GenerationConfig GREEDY = GenerationConfig.sampling(0.0, 0, 1.0);
    static final GenerationConfig SAMPLED = GenerationConfig.sampling(1.0, 50, 0.9);
    NDManager manager;
    Gpt2Model model;
    long[][] texts; // the parity file's two texts, (2, 20) right-padded

    @BeforeEach
    void open() throws Exception {
        manager = NDManager.newBaseManager(Device.cpu());
        model = Gpt2CheckpointReader.load(FIXTURE, manager, Device.cpu(), DataType.FLOAT32);
        texts = new long[][] {reference("input_ids", 0), reference("input_ids", 1)};
    }

    @AfterEach
    void close() {
        model.close();
        manager.close();
    }

    @Test
    void greedyContinuationIsTheFixtures() throws Exception {
        long[] prompt = reference("greedy_prompt", 0);
        List<GenerationResult> out = generate(-1, GREEDY, new PromptRow(prompt, 16, 0));
        assertArrayEquals(reference("greedy_16", 0), out.get(0).ids());
        assertEquals(16, out.get(0).steps());
    }

    @Test
    void batchOfDifferentPromptLengthsMatchesFullRecompute() {
        List<PromptRow> rows = List.of(
                new PromptRow(Arrays.copyOf(texts[0], 3), 12, 0),
                new PromptRow(Arrays.copyOf(texts[1], 8), 16, 0),
                new PromptRow(Arrays.copyOf(texts[0], 5), 9, 0),
                new PromptRow(Arrays.copyOf(texts[1], 1), 20, 0));
        List<GenerationResult> out = generate(-1, GREEDY, rows.toArray(PromptRow[]::new));
        for (int r = 0; r < rows.size(); r++) {
            long[] expected = recomputed(rows.get(r).prompt(), rows.get(r).maxTokens());
            assertArrayEquals(expected, out.get(r).ids(), "row " + r);
            assertEquals(rows.get(r).maxTokens(), out.get(r).generated().length);
        }
        assertFalse(Arrays.equals(out.get(0).generated(), out.get(2).generated()), "the rows differ");
    }

    /** Left padding, then single columns: the cached logits are the full forward's at each row's last token. */
    @Test
    void cachedLogitsEqualAFullForwardAtEveryStep() {
        long[][] rows = {Arrays.copyOf(texts[0], 4), Arrays.copyOf(texts[1], 7)};
        long[][] block = {{2, 2, 2, rows[0][0], rows[0][1], rows[0][2], rows[0][3]}, rows[1]}; // (2, 7)
        boolean[][] real = {{false, false, false, true, true, true, true}, {true, true, true, true, true, true, true}};
        long[][] steps = {{17, 8}, {55, 901}, {300, 4}};
        GradMode.disabled(() -> {
            try (NDManager call = manager.newSubManager();
                    KvCache cache = KvCache.allocate(call, model.config(), 2, 7 + steps.length, DataType.FLOAT32,
                            Device.cpu())) {
                long[][] seqs = rows.clone();
                float[] cached = model.extend(cache, block, real, call).toFloatArray(); // (2, V)
                assertClose(lastLogits(call, seqs), cached, 0);
                for (int s = 0; s < steps.length; s++) {
                    long[][] column = {{steps[s][0]}, {steps[s][1]}};
                    for (int r = 0; r < 2; r++) {
                        seqs[r] = Arrays.copyOf(seqs[r], seqs[r].length + 1);
                        seqs[r][seqs[r].length - 1] = steps[s][r];
                    }
                    cached = model.extend(cache, column, new boolean[][] {{true}, {true}}, call).toFloatArray();
                    assertClose(lastLogits(call, seqs), cached, s + 1);
                }
                assertEquals(10, cache.length());
                IllegalArgumentException full = assertThrows(IllegalArgumentException.class,
                        () -> model.extend(cache, new long[][] {{1}, {1}}, new boolean[][] {{true}, {true}}, call));
                assertTrue(full.getMessage().contains("the cache holds 10 columns"), full.getMessage());
            }
        });
    }

    /** float16 weights and cache: the attention bias stays float32, else a padding query turns into NaN. */
    @Test
    void float16DecodesLeftPaddedRows() throws Exception {
        long[][] rows = {Arrays.copyOf(texts[0], 2), Arrays.copyOf(texts[1], 6)};
        long[][] block = {{2, 2, 2, 2, rows[0][0], rows[0][1]}, rows[1]}; // (2, 6)
        boolean[][] real = {{false, false, false, false, true, true}, {true, true, true, true, true, true}};
        try (Gpt2Model half = Gpt2CheckpointReader.load(FIXTURE, manager, Device.cpu(), DataType.FLOAT16)) {
            GradMode.disabled(() -> {
                try (NDManager call = manager.newSubManager();
                        KvCache cache = KvCache.allocate(call, half.config(), 2, 8, DataType.FLOAT16, Device.cpu())) {
                    float[] expected = lastLogits(call, rows);
                    float[] prompt = half.extend(cache, block, real, call).toType(DataType.FLOAT32, false)
                            .toFloatArray(); // (2, V)
                    for (int i = 0; i < expected.length; i++) {
                        assertEquals(expected[i], prompt[i], 0.05, "logit " + i);
                    }
                    float[] step = half.extend(cache, new long[][] {{5}, {6}}, new boolean[][] {{true}, {true}}, call)
                            .toType(DataType.FLOAT32, false).toFloatArray();
                    for (float v : step) {
                        assertTrue(Float.isFinite(v), "finite after a padded prompt: " + v);
                    }
                }
            });
        }
    }

    /** The cache is allocated once: a step leaves its logits and nothing else, the model's manager only its parameters. */
    @Test
    void memoryStaysFlat() {
        GradMode.disabled(() -> {
            try (NDManager call = manager.newSubManager();
                    KvCache cache = KvCache.allocate(call, model.config(), 2, 40, DataType.FLOAT32, Device.cpu())) {
                model.extend(cache, new long[][] {{2, 5, 6}, {7, 8, 9}}, new boolean[][] {{false, true, true},
                        {true, true, true}}, call);
                int after = call.getManagedArrays().size();
                for (int i = 0; i < 30; i++) {
                    model.extend(cache, new long[][] {{i}, {i + 1}}, new boolean[][] {{true}, {true}}, call);
                }
                assertEquals(after + 30, call.getManagedArrays().size(), "one (B, V) logits array per step");
                cache.retain(new int[] {1});
                assertEquals(after + 30, call.getManagedArrays().size(), "retain replaces the cache's arrays");
            }
        });
        int before = manager.getManagedArrays().size();
        generate(-1, SAMPLED, new PromptRow(Arrays.copyOf(texts[0], 3), 20, 1), new PromptRow(texts[1], 30, 2));
        assertEquals(before, manager.getManagedArrays().size(), "a generation leaves nothing behind");
        assertEquals(model.parameters().size(), model.manager().getManagedArrays().size());
    }

    @Test
    void endOfTextStopsItsRowOnly() {
        long[] reference = recomputed(Arrays.copyOf(texts[1], 8), 16);
        long eos = reference[8 + 4]; // the fifth generated token
        int firstAt = 0;
        while (reference[8 + firstAt] != eos) {
            firstAt++;
        }
        PromptRow stopping = new PromptRow(Arrays.copyOf(texts[1], 8), 16, 0);
        PromptRow other = new PromptRow(Arrays.copyOf(texts[0], 3), 10, 0);
        List<Frame> frames = new ArrayList<>();
        CausalGenerator generator = new CausalGenerator(new Gpt2Decoder(model), (int) eos, 2);
        List<GenerationResult> out = GradMode.disabled(() -> generator.generate(manager, List.of(stopping, other),
                GREEDY, frames::add, () -> false));

        assertArrayEquals(Arrays.copyOfRange(reference, 8, 8 + firstAt), out.get(0).generated(), "cut before the end token");
        assertEquals(firstAt + 1, out.get(0).steps());
        assertEquals(eos, out.get(0).ids()[out.get(0).ids().length - 1], "ids end with it");
        long[] otherReference = recomputed(other.prompt(), 10);
        int otherEnd = 3;
        while (otherEnd < otherReference.length && otherReference[otherEnd] != eos) {
            otherEnd++;
        }
        assertArrayEquals(Arrays.copyOfRange(otherReference, 3, otherEnd), out.get(1).generated());
        List<Frame> first = frames.stream().filter(f -> f.row() == 0).toList();
        assertEquals(firstAt + 1, first.size(), "one frame per token");
        assertEquals(0, first.get(first.size() - 1).masked(), "the end token leaves nothing to write");
        assertEquals(16 - 1, first.get(0).masked());
        assertArrayEquals(new int[] {8}, first.get(0).changed());
    }

    @Test
    void seededSamplingDependsOnTheSeedOnlyNotOnTheBatch() {
        PromptRow row = new PromptRow(Arrays.copyOf(texts[0], 5), 20, 7);
        long[] alone = generate(-1, SAMPLED, row).get(0).ids();
        long[] again = generate(-1, SAMPLED, row).get(0).ids();
        long[] batched = generate(-1, SAMPLED, new PromptRow(Arrays.copyOf(texts[1], 9), 6, 1), row,
                new PromptRow(Arrays.copyOf(texts[1], 2), 30, 3)).get(1).ids();
        long[] otherSeed = generate(-1, SAMPLED, new PromptRow(row.prompt(), 20, 8)).get(0).ids();
        assertArrayEquals(alone, again, "same seed, same text");
        assertArrayEquals(alone, batched, "a row's text does not depend on its batch");
        assertFalse(Arrays.equals(alone, otherSeed), "another seed, another text");
        assertFalse(Arrays.equals(alone, recomputed(row.prompt(), 20)), "sampling is not argmax here");

        GenerationConfig topOne = GenerationConfig.sampling(1.0, 1, 1.0);
        assertArrayEquals(recomputed(row.prompt(), 20), generate(-1, topOne, row).get(0).ids(), "top-k 1 is greedy");
    }

    @Test
    void promptAndTokensMustFitThePositions() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> generate(-1, GREEDY, new PromptRow(Arrays.copyOf(texts[0], 10), 55, 0)));
        assertTrue(e.getMessage().contains("exceed the model's 64 positions"), e.getMessage());
    }

    private void assertClose(float[] expected, float[] actual, int step) {
        assertEquals(expected.length, actual.length);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], 1e-5, "step " + step + ", logit " + i);
        }
    }

    /** (B * V) the full forward's logits at the last token of each sequence, each alone and unpadded. */
    private float[] lastLogits(NDManager call, long[][] seqs) {
        float[] out = new float[0];
        for (long[] seq : seqs) {
            NDArray logits = model.forward(call.create(new long[][] {seq}), null).logits(); // (1, T, V)
            float[] last = logits.get(new NDIndex(0, -1)).toFloatArray();
            int n = out.length;
            out = Arrays.copyOf(out, n + last.length);
            System.arraycopy(last, 0, out, n, last.length);
        }
        return out;
    }

    private long[] recomputed(long[] prompt, int tokens) {
        return FullRecompute.greedy(model, prompt, tokens, -1);
    }

    private List<GenerationResult> generate(int eos, GenerationConfig config, PromptRow... rows) {
        CausalGenerator generator = new CausalGenerator(new Gpt2Decoder(model), eos, 2);
        return GradMode.disabled(() -> generator.generate(manager, List.of(rows), config, FrameListener.NONE, () -> false));
    }

    private long[] reference(String key, int row) throws Exception {
        try (SafetensorsReader reader = SafetensorsReader.open(FIXTURE.resolve("parity.safetensors"));
                NDManager call = manager.newSubManager()) {
            NDArray array = reader.read(key, call);
            return array.get(row).toLongArray();
        }
    }
}

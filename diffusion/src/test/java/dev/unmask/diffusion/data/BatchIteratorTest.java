package dev.unmask.diffusion.data;

import dev.unmask.corpus.CorpusFormat;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unmask.diffusion.Fixtures;
import dev.unmask.diffusion.tokenizer.TextTokenizer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Batches are a pure function of rows, batch size and seed, and resume exactly. */
class BatchIteratorTest {
    @TempDir Path tmp;

    /** {@code n} rows of length 8 whose first id is the row's number. */
    static List<Sequence> rows(int n) {
        List<Sequence> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            long[] ids = new long[8];
            Arrays.fill(ids, 100 + i);
            ids[0] = i;
            long[] mask = new long[8];
            Arrays.fill(mask, 0, 1 + i % 8, 1);
            rows.add(new Sequence(ids, mask, i % 3));
        }
        return rows;
    }

    static List<Batch> take(BatchIterator it, int n) {
        List<Batch> batches = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            batches.add(it.next());
        }
        return batches;
    }

    @Test
    void resumedIteratorContinuesTheUninterruptedSequence() throws Exception {
        TokenizedCorpus corpus = corpus();
        assertTrue(corpus.train().size() >= 20);
        List<Batch> uninterrupted = take(BatchIterator.start(corpus, 4, 42), 37);

        BatchIterator interrupted = BatchIterator.start(corpus, 4, 42);
        List<Batch> firstPart = take(interrupted, 15);
        DataPosition position = roundTrip(interrupted.position());
        List<Batch> secondPart = take(BatchIterator.resume(corpus, 4, 42, position), 22);

        List<Batch> joined = new ArrayList<>(firstPart);
        joined.addAll(secondPart);
        assertEquals(uninterrupted, joined);
        for (int i = 0; i < 37; i++) {
            assertEquals(i, joined.get(i).index());
        }
        assertTrue(uninterrupted.get(36).epoch() >= 2, "the run crosses epoch boundaries");
    }

    @Test
    void resumeAtEveryPositionMatches() {
        List<Sequence> rows = rows(23);
        List<Batch> all = take(BatchIterator.start(rows, 5, 9), 30);
        BatchIterator it = BatchIterator.start(rows, 5, 9);
        for (int i = 0; i < 30; i++) {
            BatchIterator resumed = BatchIterator.resume(rows, 5, 9, it.position());
            assertEquals(all.subList(i, 30), take(resumed, 30 - i));
            it.next();
        }
    }

    @Test
    void batchesAreDeterministicBySeed() {
        List<Sequence> rows = rows(50);
        assertEquals(take(BatchIterator.start(rows, 8, 1), 20), take(BatchIterator.start(rows, 8, 1), 20));
        assertNotEquals(take(BatchIterator.start(rows, 8, 1), 20), take(BatchIterator.start(rows, 8, 2), 20));
    }

    @Test
    void eachEpochIsAPermutationWithoutThePartialBatch() {
        List<Sequence> rows = rows(30);
        BatchIterator it = BatchIterator.start(rows, 8, 5);
        assertEquals(3, it.batchesPerEpoch());
        List<Set<Long>> epochs = new ArrayList<>();
        for (int e = 0; e < 3; e++) {
            Set<Long> seen = new HashSet<>();
            for (int b = 0; b < 3; b++) {
                assertEquals(new DataPosition(e, b), it.position());
                Batch batch = it.next();
                assertEquals(e, batch.epoch());
                assertEquals(e * 3L + b, batch.index());
                assertEquals(8, batch.size());
                assertEquals(8, batch.seqLen());
                for (int r = 0; r < 8; r++) {
                    int row = (int) batch.ids()[r][0];
                    assertTrue(seen.add((long) row), "no row twice in an epoch");
                    assertArrayEquals(rows.get(row).ids(), batch.ids()[r]);
                    assertArrayEquals(rows.get(row).attentionMask(), batch.attentionMask()[r]);
                    assertEquals(rows.get(row).promptLength(), batch.promptLengths()[r]);
                }
            }
            assertEquals(24, seen.size(), "6 rows of the partial batch are dropped");
            epochs.add(seen);
        }
        assertNotEquals(epochs.get(0), epochs.get(1), "epochs drop different rows");
    }

    @Test
    void epochOrderFollowsTheDocumentedSeedScheme() {
        List<Sequence> rows = rows(12);
        BatchIterator it = BatchIterator.start(rows, 4, 77);
        for (int e = 0; e < 3; e++) {
            int[] order = Permutations.shuffled(12, new java.util.SplittableRandom(BatchIterator.epochSeed(77, e)));
            for (int b = 0; b < 3; b++) {
                Batch batch = it.next();
                for (int r = 0; r < 4; r++) {
                    assertEquals(order[b * 4 + r], batch.ids()[r][0]);
                }
            }
        }
    }

    @Test
    void splitSmallerThanABatchRepeatsRows() {
        List<Sequence> rows = rows(3);
        BatchIterator it = BatchIterator.start(rows, 8, 0);
        assertEquals(1, it.batchesPerEpoch());
        Batch batch = it.next();
        assertEquals(8, batch.size());
        long[] first = new long[8];
        for (int r = 0; r < 8; r++) {
            first[r] = batch.ids()[r][0];
        }
        for (int r = 3; r < 8; r++) {
            assertEquals(first[r % 3], first[r], "rows cycle through the epoch's permutation");
        }
        assertEquals(Set.of(0L, 1L, 2L), new HashSet<>(Arrays.asList(first[0], first[1], first[2])));
        assertEquals(new DataPosition(1, 0), it.position());
        assertEquals(1, it.next().epoch());
    }

    @Test
    void batchesAreCopies() {
        List<Sequence> rows = rows(4);
        Batch batch = BatchIterator.start(rows, 4, 0).next();
        batch.ids()[0][3] = -5;
        assertTrue(rows.stream().noneMatch(s -> s.ids()[3] == -5));
    }

    @Test
    void invalidArgumentsAreExplained() {
        List<Sequence> rows = rows(10);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BatchIterator.resume(rows, 4, 0, new DataPosition(0, 2)));
        assertTrue(e.getMessage().contains("beyond the 2 batches per epoch"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> BatchIterator.start(rows, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> BatchIterator.start(List.of(), 4, 0));
        assertThrows(IllegalArgumentException.class, () -> new DataPosition(-1, 0));
        assertThrows(IllegalArgumentException.class, () -> new DataPosition(0, -1));
    }

    private TokenizedCorpus corpus() throws Exception {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 30; i++) {
            text.append(TokenizedCorpusTest.document(i)).append('\n');
        }
        Path file = Files.writeString(tmp.resolve("batches.txt"), text.toString());
        try (TextTokenizer tokenizer = TextTokenizer.load(Fixtures.model("tiny-roberta"))) {
            return TokenizedCorpus.build(List.of(file), CorpusFormat.TEXT, tokenizer,
                    DataConfig.of(32, Packing.PAD).withSeed(3));
        }
    }

    private static DataPosition roundTrip(DataPosition position) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(position);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            return (DataPosition) in.readObject();
        }
    }
}

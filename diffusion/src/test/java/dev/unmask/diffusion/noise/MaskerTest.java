package dev.unmask.diffusion.noise;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unmask.diffusion.tokenizer.SpecialTokens;
import dev.unmask.diffusion.util.Rng;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Which positions the masker picks, and that the ELBO weights stay unbiased. */
class MaskerTest {
    // RoBERTa layout: <s>=0 <pad>=1 </s>=2 <unk>=3 <mask>=4
    static final SpecialTokens SPECIALS = new SpecialTokens(1, 4, 0, 2, 0, 2, 3);

    /** One row: start, {@code n} ordinary tokens, end. */
    static long[][] row(int n) {
        long[] ids = new long[n + 2];
        ids[0] = 0;
        for (int i = 1; i <= n; i++) {
            ids[i] = 10 + i;
        }
        ids[n + 1] = 2;
        long[] attention = new long[n + 2];
        Arrays.fill(attention, 1);
        return new long[][] {ids, attention};
    }

    @Test
    void elboWeightsSumToTheTokenCountInExpectationEvenAtTinyRatios() {
        // E[sum over masked tokens of 1/t] must be the number of maskable tokens, whatever t is:
        // that is what makes the weighted cross-entropy an unbiased ELBO. A forced token per row
        // at t = 0.002 would make it 64 + (1 - 0.002)^64 / 0.002 ~ 504 instead.
        int n = 64;
        double t = 0.002;
        long[][] r = row(n);
        Masker masker = new Masker(new ContinuousTime(1e-3), SPECIALS, 0, false);
        Rng rng = new Rng(3);
        int draws = 20_000;
        double total = 0;
        for (int d = 0; d < draws; d++) {
            MaskedBatch b = masker.mask(new long[][] {r[0]}, new long[][] {r[1]}, null, new double[] {t}, rng);
            for (float w : b.weights()) {
                total += w;
            }
            assertEquals(n, b.normalizer());
        }
        double mean = total / draws;
        assertEquals(n, mean, 8.0, "mean of the summed 1/t weights per row");
    }

    @Test
    void elboBatchWithNothingMaskedIsEmptyNotAnError() {
        long[][] r = row(8);
        Masker masker = new Masker(new ContinuousTime(1e-3), SPECIALS, 0, false);
        MaskedBatch b = masker.mask(new long[][] {r[0]}, new long[][] {r[1]}, null, new double[] {1e-9},
                new Rng(1));
        assertEquals(0, b.maskedPositions().length);
        assertEquals(0, b.targets().length);
        assertEquals(8, b.normalizer());
        assertTrue(Arrays.equals(r[0], b.inputIds()[0]), "nothing replaced by the mask token");
    }

    @Test
    void plainMeanScheduleStillMasksAtLeastOneTokenPerRow() {
        long[][] r = row(8);
        Masker masker = new Masker(new DiscreteLevels(10), SPECIALS, 0, false);
        Rng rng = new Rng(5);
        for (int d = 0; d < 200; d++) {
            MaskedBatch b = masker.mask(new long[][] {r[0], r[0]}, new long[][] {r[1], r[1]}, null,
                    new double[] {1e-9, 1e-9}, rng);
            assertEquals(2, b.maskedPositions().length, "one forced token in each row");
            assertTrue(b.maskedPositions()[0] / r[0].length == 0 && b.maskedPositions()[1] / r[0].length == 1);
            for (long target : b.targets()) {
                assertTrue(!SPECIALS.isSpecial(target), "specials are never targets");
            }
            assertEquals(2, b.normalizer());
        }
    }

    @Test
    void aBatchWithoutMaskableTokensIsRefused() {
        long[][] ids = {{0, 2, 1, 1}};
        long[][] attention = {{1, 1, 0, 0}};
        Masker masker = new Masker(new ContinuousTime(1e-3), SPECIALS, 0, false);
        assertThrows(IllegalArgumentException.class,
                () -> masker.mask(ids, attention, null, new double[] {0.5}, new Rng(1)));
    }
}

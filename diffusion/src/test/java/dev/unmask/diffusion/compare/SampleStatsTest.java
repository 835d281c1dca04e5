package dev.unmask.diffusion.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class SampleStatsTest {

    @Test
    void distinctBigramsAndAdjacentRepeatsPooledOverSamples() {
        // bigrams: (1,2) (2,2) (2,2) | (1,2) (2,3): 5 in all, 3 distinct; repeats: the two 2s after a 2
        SampleStats s = SampleStats.of(List.of(new long[] {1, 2, 2, 2}, new long[] {1, 2, 3}));
        assertEquals(3 / 5.0, s.distinct2(), 1e-12);
        assertEquals(2 / 7.0, s.repeatRate(), 1e-12);
        assertEquals(7, s.tokens());
    }

    @Test
    void bigramsNeverCrossSamples() {
        SampleStats s = SampleStats.of(List.of(new long[] {5}, new long[] {5}));
        assertEquals(0, s.distinct2(), "no bigram within a one-token sample");
        assertEquals(0, s.repeatRate(), "the second 5 starts a new sample");
    }
}

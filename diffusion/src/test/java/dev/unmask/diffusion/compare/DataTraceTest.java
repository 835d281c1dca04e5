package dev.unmask.diffusion.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unmask.diffusion.run.DataTrace;
import java.util.List;
import org.junit.jupiter.api.Test;

class DataTraceTest {

    @Test
    void theShorterRunsBatchesMustBeTheLongerRunsFirstOnes() {
        DataTrace longer = new DataTrace("t", "h", List.of(1L, 2L, 3L, 4L));
        assertTrue(new DataTrace("t", "h", List.of(1L, 2L)).sameDataAs(longer));
        assertEquals(2, new DataTrace("t", "h", List.of(1L, 2L)).commonBatches(longer));
        DataTrace reordered = new DataTrace("t", "h", List.of(1L, 3L, 2L));
        assertFalse(reordered.sameDataAs(longer), "another order");
        assertEquals(1, reordered.commonBatches(longer));
        assertFalse(new DataTrace("t", "other", List.of(1L)).sameDataAs(longer), "another held-out split");
        assertFalse(new DataTrace("other", "h", List.of(1L)).sameDataAs(longer), "another training split");
    }
}

package dev.unmask.diffusion.sample;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** How the autoregressive loop drives a model: one prompt pass, one column per step, finished rows leave. */
class CausalGeneratorTest {
    static final GenerationConfig GREEDY = GenerationConfig.sampling(0.0, 0, 1.0);
    NDManager manager;
    FakeCausalLm model = new FakeCausalLm();

    @BeforeEach
    void open() {
        manager = NDManager.newBaseManager(Device.cpu());
    }

    @AfterEach
    void close() {
        manager.close();
    }

    @Test
    void onePromptPassThenOneColumnPerStepAndFinishedRowsLeave() {
        List<PromptRow> rows = List.of(
                new PromptRow(new long[] {3}, 4, 0), // 4 5 6 7
                new PromptRow(new long[] {10, 11, 12}, 2, 0), // 13 14
                new PromptRow(new long[] {20, 21}, 6, 0)); // 22 23 24 [25 = end]
        List<Frame> frames = new ArrayList<>();
        List<GenerationResult> out = new CausalGenerator(model, 25, 0)
                .generate(manager, rows, GREEDY, frames::add, () -> false);

        assertArrayEquals(new long[] {3, 4, 5, 6, 7}, out.get(0).ids());
        assertArrayEquals(new long[] {13, 14}, out.get(1).generated());
        assertArrayEquals(new long[] {20, 21, 22, 23, 24, 25}, out.get(2).ids(), "ids keep the end token");
        assertArrayEquals(new long[] {22, 23, 24}, out.get(2).generated(), "generated stops before it");
        assertEquals(4, out.get(2).steps());
        assertEquals(List.of(
                "start 3x8", // 3 prompt columns (left-padded) + 6 tokens - 1 never fed
                "append 3x3", // the prompts at once
                "append 3x1",
                "retain [0, 2]", // row 1 wrote its 2 tokens
                "append 2x1",
                "append 2x1", // row 0 writes its 4th, row 2 the end token: nothing left to feed
                "close"), model.calls);
        assertEquals(4 + 2 + 4, frames.size(), "one frame per token");
        Frame last = frames.get(frames.size() - 1);
        assertEquals(0, last.masked());
    }

    @Test
    void cancellingStopsBeforeTheNextStep() {
        int[] steps = {0};
        CausalGenerator generator = new CausalGenerator(model, -1, 0);
        assertThrows(CancellationException.class, () -> generator.generate(manager,
                List.of(new PromptRow(new long[] {1}, 10, 0)), GREEDY, f -> steps[0]++, () -> steps[0] >= 3));
        assertEquals(3, steps[0]);
        assertEquals("close", model.calls.get(model.calls.size() - 1), "the decoding is closed");
    }
}

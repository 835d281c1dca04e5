package dev.unmask.jobspec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ParamSetTest {

    @Test
    void theDerivedWarmupIsFivePercentOfTheStepsGivenOrDefault() {
        assertEquals(50L, TrainParams.SET.defaults().get(TrainParams.WARMUP_STEPS));
        assertEquals(10L, TrainParams.SET.resolve(Map.of("steps", 200L)).get(TrainParams.WARMUP_STEPS));
        assertEquals(7L, TrainParams.SET.resolve(Map.of("steps", 200L, "warmup_steps", 7L)).get(TrainParams.WARMUP_STEPS));
    }

    @Test
    void everyDefaultIsInsideItsOwnRange() {
        for (ParamSet set : JobParams.all()) {
            ParamValues defaults = set.defaults();
            assertEquals(java.util.List.of(), set.errors(defaults), set.name());
            for (Param p : set.params()) {
                assertTrue(defaults.has(p), p.path() + " has a default");
            }
        }
    }

    @Test
    void everyBoundIsAcceptedAndTheNextValueOutsideRefused() {
        int checked = 0;
        for (ParamSet set : JobParams.all()) {
            for (Param p : set.params()) {
                if (p.type() == ParamType.INTEGER && p.min() != null) {
                    assertFalse(p.check(p.min().longValue()).isPresent(), p.path());
                    assertFalse(p.check(p.max().longValue()).isPresent(), p.path());
                    assertEquals("range", p.check(p.min().longValue() - 1).orElseThrow().code(), p.path());
                    assertEquals("range", p.check(p.max().longValue() + 1).orElseThrow().code(), p.path());
                    checked++;
                } else if (p.type() == ParamType.NUMBER) {
                    double min = p.min().doubleValue();
                    assertEquals(p.minExclusive(), p.check(min).isPresent(), p.path());
                    assertTrue(p.check(Math.nextDown(min)).isPresent(), p.path());
                    assertFalse(p.check(p.max().doubleValue()).isPresent(), p.path());
                    assertTrue(p.check(Math.nextUp(p.max().doubleValue())).isPresent(), p.path());
                    checked++;
                } else if (p.type() == ParamType.ENUM) {
                    p.choices().forEach(c -> assertFalse(p.check(c).isPresent()));
                    assertEquals("enum", p.check("nope").orElseThrow().code());
                    checked++;
                }
            }
        }
        assertTrue(checked >= 25, "checked " + checked);
    }

    @Test
    void theRulesTieWarmupToStepsAndThePrefixToTheSequence() {
        ParamValues v = TrainParams.SET.resolve(Map.of("steps", 10L, "warmup_steps", 11L, "seq_len", 16L,
                "prefix_len", 16L));
        assertEquals(java.util.List.of(
                new ParamError("warmup_steps", "range", "must be in [0, 10], got 11"),
                new ParamError("prefix_len", "range", "must be smaller than seq_len (16), got 16")),
                TrainParams.SET.errors(v));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TrainParams.SET.require(v));
        assertTrue(e.getMessage().startsWith("warmup_steps must be in [0, 10]"), e.getMessage());
    }

    @Test
    void aParameterThatDoesNotApplyIsNotChecked() {
        ParamValues discrete = TrainParams.SET.resolve(Map.of("noise.eps", 5.0));
        assertEquals(java.util.List.of(), TrainParams.SET.errors(discrete));
        ParamValues continuous = discrete.with(TrainParams.NOISE_SCHEDULE, "continuous");
        assertEquals("noise.eps", TrainParams.SET.errors(continuous).get(0).field());
    }

    @Test
    void helpTextsWordDefaultsAndRanges() {
        assertEquals("0.0005", TrainParams.LEARNING_RATE.defaultText());
        assertEquals("(0.0, 1.0]", TrainParams.LEARNING_RATE.rangeText());
        assertEquals("5% of steps", TrainParams.WARMUP_STEPS.defaultText());
        assertEquals("[1, 4096]", TrainParams.BATCH_SIZE.rangeText());
    }
}

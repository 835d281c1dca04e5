package dev.unmask.diffusion.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unmask.diffusion.noise.ContinuousTime;
import dev.unmask.diffusion.noise.DiscreteLevels;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a checkpoint records of its run, and how two records are compared. */
class RunConfigTest {
    static TrainConfig config(int batchSize, double lr) {
        return new TrainConfig(10, batchSize, 1, lr, 1, LrSchedule.Decay.LINEAR, 0.01, 1.0, 0.9, 0.999, 1e-8, 5, 0,
                false, new DiscreteLevels(10), 3, Precision.FP32);
    }

    @Test
    void everyComponentOfTheTrainerConfigIsRecorded() {
        assertEquals(TrainConfig.class.getRecordComponents().length, RunConfig.of(config(4, 1e-3)).fields().size(),
                "a TrainConfig component that RunConfig.of does not record would change a run unnoticed");
    }

    @Test
    void aRecordReadBackEqualsTheOneWrittenAndDifferencesNameBothValues() {
        RunConfig written = RunConfig.of(config(4, 1e-3)).with("corpus", List.of(java.util.Map.of("bytes", 5L)));
        RunConfig read = RunConfig.fromJson(dev.unmask.diffusion.util.Json.MAPPER.valueToTree(written.toJson()));
        assertEquals(List.of(), written.differences(read));
        assertEquals(List.of(), RunConfig.of(config(4, 1)).with("x", 1).differences(
                RunConfig.of(config(4, 1.0)).with("x", 1.0)), "numbers by value");
        List<ConfigDifference> d = written.differences(RunConfig.of(config(8, 1e-3))
                .with("corpus", List.of(java.util.Map.of("bytes", 5))).with("new_field", true));
        assertEquals(List.of("batch_size: checkpoint 4, now 8", "new_field: checkpoint null, now true"),
                d.stream().map(ConfigDifference::toString).toList());
    }

    @Test
    void theNoiseIsRecordedWithItsParameters() {
        TrainConfig c = new TrainConfig(10, 4, 1, 1e-3, 1, LrSchedule.Decay.COSINE, 0, 0, 0.9, 0.999, 1e-8, 0, 0,
                false, new ContinuousTime(1e-3), 3, Precision.FP32);
        String json = RunConfig.of(c).toJson().toString();
        assertTrue(json.contains("\"noise\":{\"schedule\":\"continuous\",\"eps\":0.001}"), json);
        assertTrue(json.contains("\"lr_decay\":\"cosine\""), json);
    }
}

package dev.unmask.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.unmask.jobspec.GenerateParams;
import dev.unmask.jobspec.Param;
import dev.unmask.shared.json.JsonCodec;
import dev.unmask.shared.spec.GenerateJobSpec;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Jobs share a canvas exactly when their model and generation config are equal: every described
 * parameter that reaches the config splits a batch, the per-row ones (prompt, length, seed, n) do not.
 */
class BatchKeyTest {
    private static final String MODEL = UUID.randomUUID().toString();
    /** Parameters each row carries for itself. */
    private static final Set<Param> PER_ROW = Set.of(GenerateParams.PROMPT, GenerateParams.MAX_TOKENS,
            GenerateParams.SEED, GenerateParams.N);
    /** A value other than the default for each of the rest. */
    private static final Map<Param, Object> OTHER = Map.of(GenerateParams.STRATEGY, "topk", GenerateParams.STEPS, 7,
            GenerateParams.TEMPERATURE, 0.5, GenerateParams.TOP_K, 3, GenerateParams.TOP_P, 0.5,
            GenerateParams.THRESHOLD, 0.5, GenerateParams.BLOCK_SIZE, 4);

    private static GenerateJobSpec spec(String extra) {
        return GenerateJobSpec.fromJson(JsonCodec.read("{\"type\":\"generate\",\"model\":\"" + MODEL + "\",\"seed\":1"
                + extra + "}"));
    }

    @Test
    void everyGenerationSettingSplitsABatchAndPerRowSettingsDoNot() {
        GenerateJobSpec base = spec("");
        for (Param p : GenerateParams.SET.params()) {
            if (PER_ROW.contains(p)) {
                continue;
            }
            Object other = OTHER.get(p);
            String value = other instanceof String s ? "\"" + s + "\"" : String.valueOf(other);
            assertEquals(false, GenerateJobRunner.sameBatch(base, spec(",\"" + p.name() + "\":" + value)), p.path());
        }
        assertEquals(GenerateParams.SET.params().size(), PER_ROW.size() + OTHER.size(), "every parameter is classified");
        GenerateJobSpec perRow = GenerateJobSpec.fromJson(JsonCodec.read("{\"type\":\"generate\",\"model\":\""
                + MODEL + "\",\"seed\":2,\"prompt\":\"other\",\"max_tokens\":9,\"n\":3}"));
        assertEquals(true, GenerateJobRunner.sameBatch(base, perRow), "per-row settings share a canvas");
    }
}

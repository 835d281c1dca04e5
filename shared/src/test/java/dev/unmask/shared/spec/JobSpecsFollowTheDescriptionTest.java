package dev.unmask.shared.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.unmask.jobspec.GenerateParams;
import dev.unmask.jobspec.Param;
import dev.unmask.jobspec.ParamSet;
import dev.unmask.jobspec.ParamType;
import dev.unmask.jobspec.ParamValues;
import dev.unmask.jobspec.TrainParams;
import dev.unmask.shared.json.JsonCodec;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The gateway's validation against the parameter description: every default filled in as
 * described, every bound accepted, the value just outside refused with the described code at the
 * parameter's path, every choice accepted and another refused.
 */
class JobSpecsFollowTheDescriptionTest {
    private static final String TRAIN = "{\"type\":\"train\",\"model\":\"preset:tiny\",\"dataset\":\"" + UUID.randomUUID() + "\"}";
    private static final String GENERATE = "{\"type\":\"generate\",\"model\":\"" + UUID.randomUUID() + "\",\"seed\":3}";

    @Test
    void anEmptyRequestGetsEveryDescribedDefault() {
        ParamValues train = JobRequest.parse(JsonCodec.read(TRAIN)).train().hyperparameters();
        assertEquals(TrainParams.SET.defaults(), train);
        ParamValues generate = JobRequest.parse(JsonCodec.read(GENERATE)).generate().params();
        assertEquals(GenerateParams.SET.defaults().with(GenerateParams.SEED, 3L), generate);
    }

    @Test
    void aStoredSpecReadsBackToTheSameValues() {
        JobRequest r = JobRequest.parse(JsonCodec.read(TRAIN.replace("}", ",\"hyperparameters\":{\"steps\":200,"
                + "\"noise\":{\"schedule\":\"continuous\",\"eps\":0.01}}}")));
        JsonNode stored = r.specJson();
        assertEquals(10, stored.at("/hyperparameters/warmup_steps").asInt(), "the derived warm-up is stored");
        assertEquals("{\"schedule\":\"continuous\",\"eps\":0.01}", stored.at("/hyperparameters/noise").toString());
        assertEquals(r.train(), TrainJobSpec.fromJson(stored));
    }

    @Test
    void aGenerateSeedIsDrawnWhenAbsent() {
        String body = GENERATE.replace(",\"seed\":3", "");
        assertNotEquals(JobRequest.parse(JsonCodec.read(body)).generate().seed(),
                JobRequest.parse(JsonCodec.read(body)).generate().seed());
    }

    @Test
    void everyBoundIsAcceptedAndTheValueBeyondRefusedWithTheDescribedCode() {
        int checked = check(TrainParams.SET, TRAIN, "hyperparameters") + check(GenerateParams.SET, GENERATE, "");
        assertTrue(checked >= 25, "checked " + checked);
    }

    private static int check(ParamSet set, String body, String prefix) {
        int checked = 0;
        for (Param p : set.params()) {
            List<Object> good = new java.util.ArrayList<>();
            List<Object> bad = new java.util.ArrayList<>();
            switch (p.type()) {
                case INTEGER -> {
                    if (p.min() == null) {
                        continue;
                    }
                    good.addAll(List.of(p.min(), p.max()));
                    bad.addAll(List.of(p.min().longValue() - 1, p.max().longValue() + 1));
                }
                case NUMBER -> {
                    if (!p.minExclusive()) {
                        good.add(p.min());
                    }
                    good.add(p.max());
                    bad.addAll(List.of(p.minExclusive() ? p.min() : Math.nextDown(p.min().doubleValue()),
                            Math.nextUp(p.max().doubleValue())));
                }
                case ENUM -> {
                    good.addAll(p.choices());
                    bad.add("none-of-these");
                }
                case STRING -> {
                    good.add("x".repeat(p.maxLength()));
                    bad.add("x".repeat(p.maxLength() + 1));
                }
            }
            String field = Validation.path(prefix, p.path());
            for (Object v : good) {
                List<String> errors = errors(withValue(body, prefix, p, v), p);
                assertEquals(List.of(), errors, field + " = " + v);
            }
            String code = p.type() == ParamType.ENUM ? "enum" : p.type() == ParamType.STRING ? "length" : "range";
            for (Object v : bad) {
                assertEquals(List.of(field + ":" + code), errors(withValue(body, prefix, p, v), p), field + " = " + v);
            }
            checked++;
        }
        return checked;
    }

    /** The body with {@code p} set to {@code value} (and what it depends on, so that it applies). */
    private static JsonNode withValue(String body, String prefix, Param p, Object value) {
        ObjectNode root = (ObjectNode) JsonCodec.read(body);
        ObjectNode target = prefix.isEmpty() ? root : root.putObject(prefix);
        if (!p.parent().isEmpty()) {
            target = target.putObject(p.parent());
        }
        if (p.when() != null) {
            target.put(p.when().param().name(), p.when().value());
        }
        // keep the rules quiet: warm-up at most the steps, the prefix below the sequence
        if (p == TrainParams.WARMUP_STEPS || p == TrainParams.PREFIX_LEN) {
            target.put("steps", TrainParams.STEPS.max().longValue());
            target.put("seq_len", TrainParams.SEQ_LEN.max().longValue());
        }
        target.set(p.name(), JsonCodec.MAPPER.valueToTree(value));
        return root;
    }

    private static List<String> errors(JsonNode body, Param p) {
        try {
            JobRequest.parse(body);
            return List.of();
        } catch (ValidationException e) {
            return e.errors().stream().map(f -> f.field() + ":" + f.code()).toList();
        }
    }
}

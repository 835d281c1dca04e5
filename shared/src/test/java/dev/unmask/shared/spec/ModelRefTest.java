package dev.unmask.shared.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import dev.unmask.shared.config.Settings;
import org.junit.jupiter.api.Test;

/** A job's model: a preset, a model row's id, or a Hub id spelled as the engine's HubId accepts it. */
class ModelRefTest {
    @Test
    void presetsIdsAndHubIdsParse() {
        UUID id = UUID.randomUUID();
        assertEquals(Optional.of(new ModelRef("tiny", null, null)), ModelRef.parse("preset:tiny"));
        assertEquals(Optional.of(new ModelRef("gpt2-base", null, null)), ModelRef.parse("preset:gpt2-base"));
        assertEquals(Optional.empty(), ModelRef.parse("preset:gpt2-huge"));
        assertEquals(Optional.of(new ModelRef(null, id, null)), ModelRef.parse(id.toString()));
        ModelRef hub = ModelRef.parse("FacebookAI/roberta-base@main").orElseThrow();
        assertTrue(hub.isHub());
        assertEquals("FacebookAI/roberta-base@main", hub.toString());
        for (String ok : new String[] {"org/name", "org/name@v1.0", "a_b/c-d.e@refs/pr/1",
                "org/name@0123456789abcdef0123456789abcdef01234567"}) {
            assertTrue(ModelRef.isHubId(ok), ok);
        }
        for (String bad : new String[] {"preset:huge", "name", "../x", "a/b/c", "a--b/c", "a/b..c", "-a/b", "a/b@",
                "a/b@../x", "a/b@/x", "a b/c", "/abs/path", ""}) {
            assertFalse(ModelRef.parse(bad).isPresent() && ModelRef.parse(bad).get().isHub(), bad);
        }
        assertFalse(ModelRef.parse("a/b/c").isPresent());
    }

    @Test
    void modelRowsRegisteredFromTheHubCarryTheirIdInTheUri() {
        assertEquals(Optional.of("org/name@main"), ModelRef.hubIdOfUri(ModelRef.HUB_URI_PREFIX + "org/name@main"));
        assertEquals(Optional.empty(), ModelRef.hubIdOfUri("/artifacts/models/x"));
    }

    @Test
    void theHfCacheDefaultsToTheArtifactStore() {
        assertEquals(Path.of("/a/hf-cache"), Settings.hfCache(Map.of(), Path.of("/a")));
        assertEquals(Path.of("/shared/hf"), Settings.hfCache(Map.of("UNMASK_HF_CACHE", "/shared/hf"), Path.of("/a")));
    }
}

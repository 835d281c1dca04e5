package dev.unmask.diffusion;

import com.fasterxml.jackson.databind.JsonNode;
import dev.unmask.diffusion.util.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Path;

/** The HF and GPT-2 parity fixtures copied into test resources. */
public final class Fixtures {
    private Fixtures() {}

    /** {@code tiny-roberta} or {@code tiny-bert}. */
    public static Path model(String name) {
        return resource("/hf-parity/" + name);
    }

    /** {@code tiny-gpt2}: a {@code GPT2LMHeadModel} folder with its parity file. */
    public static Path gpt2(String name) {
        return resource("/gpt2-parity/" + name);
    }

    public static Path parityFile(String name) {
        return model(name).resolve("parity.safetensors");
    }

    /** The {@code roberta} or {@code bert} section of {@code meta.json}. */
    public static JsonNode meta(String family) {
        try {
            return Json.read(resource("/hf-parity/meta.json")).get(family);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path resource(String path) {
        try {
            return Path.of(Fixtures.class.getResource(path).toURI());
        } catch (URISyntaxException | NullPointerException e) {
            throw new IllegalStateException("missing test resource " + path, e);
        }
    }
}

package dev.unmask.diffusion.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.unmask.diffusion.Fixtures;
import dev.unmask.diffusion.util.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class TokenizerJsonWriterTest {

    @Test
    void writesTheLayoutTokenizersSavesWith() throws IOException {
        Path reference = Fixtures.model("tiny-roberta").resolve("tokenizer.json");
        String original = Files.readString(reference, StandardCharsets.UTF_8);
        String rewritten = TokenizerJsonWriter.HF_LAYOUT.writeValueAsString(Json.read(reference));
        assertEquals(original.strip(), rewritten.strip());
    }
}

package dev.unmask.shared.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.unmask.shared.json.JsonCodec;
import org.junit.jupiter.api.Test;

class RowsTest {
    @Test
    void nulCharactersBecomeReplacementCharactersAndEscapedBackslashesStay() {
        ObjectNode json = JsonCodec.MAPPER.createObjectNode();
        json.put("a", "x\u0000y");
        json.put("b", "literal \\u0000 text");
        json.put("c", "\\\u0000");
        ObjectNode back = (ObjectNode) JsonCodec.read(Rows.withoutNul(JsonCodec.write(json)));
        assertEquals("x\uFFFDy", back.path("a").asText());
        assertEquals("literal \\u0000 text", back.path("b").asText());
        assertEquals("\\\uFFFD", back.path("c").asText());
    }
}

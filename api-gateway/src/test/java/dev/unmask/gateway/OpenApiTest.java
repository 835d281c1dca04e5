package dev.unmask.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.unmask.gateway.http.ProblemCode;
import dev.unmask.jobspec.GenerateParams;
import dev.unmask.jobspec.Param;
import dev.unmask.jobspec.TrainParams;
import dev.unmask.gateway.http.RouteTemplates;
import dev.unmask.shared.json.JsonCodec;
import dev.unmask.shared.spec.JobRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /openapi.json} against the gateway itself: the same operations as the router, the
 * same error codes as {@link ProblemCode}, the same defaults as the validation, the job request
 * schemas the parameter description's, and no dangling reference.
 */
class OpenApiTest {
    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "options", "head", "patch", "trace");

    private final TestEnv env = TestEnv.get();

    private JsonNode document() {
        Api.Reply reply = new Api(env.gateway.port(), null).get("/openapi.json");
        assertEquals(200, reply.status(), reply::toString);
        assertTrue(reply.header("Content-Type").startsWith("application/json"));
        return reply.json();
    }

    @Test
    void theDocumentHasExactlyTheOperationsOfTheRouter() {
        Set<String> documented = new TreeSet<>();
        for (Map.Entry<String, JsonNode> path : document().path("paths").properties()) {
            path.getValue().fieldNames().forEachRemaining(method -> {
                if (METHODS.contains(method)) {
                    documented.add(method.toUpperCase(java.util.Locale.ROOT) + " " + path.getKey());
                }
            });
        }
        Set<String> routed = RouteTemplates.operations(env.gateway.router());
        Set<String> undocumented = new TreeSet<>(routed);
        undocumented.removeAll(documented);
        Set<String> unrouted = new TreeSet<>(documented);
        unrouted.removeAll(routed);
        assertTrue(undocumented.isEmpty() && unrouted.isEmpty(),
                "routes missing from openapi.json: " + undocumented + "; documented but not routed: " + unrouted);
        assertTrue(routed.containsAll(List.of("GET /metrics", "GET /openapi.json", "GET /v1/models/{id}/files/{name}")));
    }

    @Test
    void theErrorCodesAreExactlyThoseTheGatewayCanEmit() {
        // Problem and ApiException take a ProblemCode, so the enum is every code the gateway can emit.
        Set<String> emittable = new TreeSet<>();
        for (ProblemCode code : ProblemCode.values()) {
            emittable.add(code.wire());
        }
        Set<String> documented = new TreeSet<>();
        document().at("/components/schemas/Problem/properties/code/enum").forEach(c -> documented.add(c.asText()));
        assertEquals(emittable, documented);
    }

    @Test
    void everyReferenceResolvesInAnOpenApi31Document() {
        JsonNode doc = document();
        assertTrue(doc.path("openapi").asText().startsWith("3.1."));
        assertEquals("bearer", doc.at("/components/securitySchemes/bearer/scheme").asText());
        List<String> refs = new ArrayList<>();
        collectRefs(doc, refs);
        assertFalse(refs.isEmpty());
        for (String ref : refs) {
            assertTrue(ref.startsWith("#/"), ref);
            assertFalse(doc.at(ref.substring(1)).isMissingNode(), "dangling " + ref);
        }
    }

    @Test
    void theDocumentedDefaultsAreThoseTheValidationFillsIn() {
        JsonNode doc = document();
        JsonNode train = JobRequest.parse(JsonCodec.read("{\"type\":\"train\",\"model\":\"preset:tiny\","
                + "\"dataset\":\"" + java.util.UUID.randomUUID() + "\"}")).specJson().path("hyperparameters");
        assertDefaults(doc.at("/components/schemas/TrainHyperparameters/properties"), train);
        JsonNode generate = JobRequest.parse(JsonCodec.read("{\"type\":\"generate\",\"model\":\""
                + java.util.UUID.randomUUID() + "\"}")).specJson();
        assertDefaults(doc.at("/components/schemas/GenerateJobRequest/properties"), generate);
    }

    @Test
    void theJobRequestSchemasAreTheParameterDescription() {
        JsonNode schemas = document().path("components").path("schemas");
        JsonNode train = schemas.at("/TrainHyperparameters/properties");
        int checked = 0;
        for (Param p : TrainParams.SET.params()) {
            if (p.parent().isEmpty()) {
                assertDescribed(train.get(p.name()), p);
            } else if (p.when() == null) { // the nested object's selector: one schema per choice
                List<String> consts = new ArrayList<>();
                train.get(p.parent()).path("oneOf").forEach(ref -> consts.add(resolve(schemas, ref)
                        .at("/properties/" + p.name() + "/const").asText()));
                assertEquals(p.choices(), consts, p.path());
                assertEquals(p.defaultValue(), train.get(p.parent()).at("/default/" + p.name()).asText(), p.path());
            } else {
                JsonNode variant = null;
                for (JsonNode ref : train.get(p.parent()).path("oneOf")) {
                    JsonNode v = resolve(schemas, ref);
                    if (v.at("/properties/" + p.when().param().name() + "/const").asText().equals(p.when().value())) {
                        variant = v;
                    }
                }
                assertTrue(variant != null, p.path() + ": no schema for " + p.when());
                assertDescribed(variant.at("/properties/" + p.name()), p);
            }
            checked++;
        }
        JsonNode generate = schemas.at("/GenerateJobRequest/properties");
        for (Param p : GenerateParams.SET.params()) {
            assertDescribed(generate.get(p.name()), p);
            checked++;
        }
        assertEquals(TrainParams.SET.params().size() + GenerateParams.SET.params().size(), checked);
        Set<String> generateFields = new TreeSet<>();
        generate.fieldNames().forEachRemaining(generateFields::add);
        assertEquals(GenerateParams.SET.params().size() + 2, generateFields.size(), "type, model and the parameters: "
                + generateFields);
    }

    private static JsonNode resolve(JsonNode schemas, JsonNode ref) {
        return schemas.get(ref.path("$ref").asText().replace("#/components/schemas/", ""));
    }

    /** A property's type, default, bounds, choices and length are the parameter's. */
    private static void assertDescribed(JsonNode prop, Param p) {
        assertTrue(prop != null && prop.isObject(), p.path() + " is documented");
        assertEquals(p.type().schemaType(), prop.path("type").asText(), p.path());
        if (p.derived() != null) {
            assertEquals(p.derived().text(), prop.path("x-default").asText(), p.path());
            assertFalse(prop.has("default"), p.path());
        } else {
            assertTrue(prop.has("default"), p.path() + " has a default");
            assertEquals(p.defaultValue(), value(prop.get("default"), p), p.path() + " default");
        }
        assertEquals(p.min() == null ? null : number(p.min()),
                number(prop.get(p.minExclusive() ? "exclusiveMinimum" : "minimum")), p.path() + " minimum");
        assertFalse(prop.has(p.minExclusive() ? "minimum" : "exclusiveMinimum"), p.path());
        assertEquals(p.max() == null ? null : number(p.max()), number(prop.get("maximum")), p.path() + " maximum");
        List<String> choices = new ArrayList<>();
        prop.path("enum").forEach(c -> choices.add(c.asText()));
        assertEquals(p.choices(), choices, p.path() + " enum");
        assertEquals(p.maxLength() == 0 ? null : p.maxLength(), prop.has("maxLength") ? prop.get("maxLength").asInt()
                : null, p.path() + " maxLength");
        assertEquals(p.doc(), prop.path("description").asText().replaceFirst(" \\(default: .*\\)$", ""), p.path());
    }

    private static Object value(JsonNode node, Param p) {
        return switch (p.type()) {
            case INTEGER -> node.asLong();
            case NUMBER -> node.asDouble();
            case ENUM, STRING -> node.asText();
        };
    }

    private static java.math.BigDecimal number(Object n) {
        if (n == null || n instanceof JsonNode j && (j.isMissingNode() || j.isNull())) {
            return null;
        }
        String text = n instanceof JsonNode j ? j.asText() : String.valueOf(n);
        return new java.math.BigDecimal(text).stripTrailingZeros();
    }

    private static void assertDefaults(JsonNode properties, JsonNode filled) {
        int checked = 0;
        for (Map.Entry<String, JsonNode> p : properties.properties()) {
            if (p.getValue().has("default")) {
                JsonNode expected = p.getValue().get("default");
                JsonNode actual = filled.get(p.getKey());
                boolean same = expected.isNumber() ? actual.isNumber() && expected.asDouble() == actual.asDouble()
                        : expected.equals(actual);
                assertTrue(same, p.getKey() + ": documented " + expected + ", filled in " + actual);
                checked++;
            }
        }
        assertTrue(checked >= 8, "defaults checked: " + checked);
    }

    private static void collectRefs(JsonNode node, List<String> out) {
        if (node.isObject()) {
            node.properties().forEach(e -> {
                if (e.getKey().equals("$ref")) {
                    out.add(e.getValue().asText());
                } else {
                    collectRefs(e.getValue(), out);
                }
            });
        } else if (node.isArray()) {
            node.forEach(n -> collectRefs(n, out));
        }
    }
}

package dev.unmask.gateway.edge;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

/**
 * The requests of {@link HttpEdgeFuzzTest}, drawn from one seeded {@link Random}: each is written
 * byte for byte (a raw HTTP/1.1 request on its own connection), so framing and headers can be as
 * wrong as the bytes allow.
 */
final class FuzzRequests {
    /** Every route of the API, as "METHOD template". */
    static final List<String> ROUTES = List.of("GET /health/live", "GET /health/ready", "GET /metrics",
            "GET /openapi.json", "GET /", "POST /v1/jobs", "GET /v1/jobs", "GET /v1/jobs/{id}",
            "POST /v1/jobs/{id}/cancel", "GET /v1/jobs/{id}/events", "GET /v1/jobs/{id}/checkpoints",
            "POST /v1/datasets", "GET /v1/datasets", "GET /v1/datasets/{id}", "POST /v1/models", "GET /v1/models",
            "GET /v1/models/{id}", "GET /v1/models/{id}/files/{name}");
    private static final List<String> METHODS = List.of("GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS",
            "TRACE", "CONNECT", "get", "BREW", "");

    /** One request: what it probes, its route (or null), its bytes and how they are sent. */
    record Case(String kind, String route, RawHttp.Send send, int bytes, String text) {
        /** The whole request as text (for the check that an echo of the request's own bytes is no leak). */
        String shown() {
            return text;
        }

        @Override
        public String toString() {
            return text.length() > 400 ? text.substring(0, 400) + "... (" + text.length() + " chars)" : text;
        }
    }

    private final Random random;
    private final HttpEdgeFuzzTest.FuzzTargets targets;
    private final String secret;
    private final Map<String, Integer> routesHit = new HashMap<>();

    FuzzRequests(Random random, HttpEdgeFuzzTest.FuzzTargets targets, String secret) {
        this.random = random;
        this.targets = targets;
        this.secret = secret;
    }

    Map<String, Integer> routesHit() {
        return routesHit;
    }

    Case next() {
        int roll = random.nextInt(100);
        if (roll < 45) {
            return routed();
        }
        if (roll < 60) {
            return jobBody();
        }
        if (roll < 68) {
            return modelBody();
        }
        if (roll < 76) {
            return upload();
        }
        if (roll < 84) {
            return cursorOrQuery();
        }
        return framing();
    }

    /** A few clients that send slowly: headers that trickle, bodies that stop, an upload that crawls. */
    List<Case> slowClients() {
        List<Case> out = new ArrayList<>();
        String auth = "Authorization: Bearer " + secret + "\r\n";
        out.add(slow("slow-headers", List.of("GET /v1/jobs HTTP/1.1\r\n", "Host: x\r\n", auth), 600));
        out.add(slow("nothing-after-connect", List.of(""), 0));
        out.add(slow("slow-json-body", List.of("POST /v1/jobs HTTP/1.1\r\nHost: x\r\n" + auth
                + "Content-Type: application/json\r\nContent-Length: 64\r\n\r\n{\"type\":", "\"train\""), 800));
        out.add(slow("slow-model-body", List.of("POST /v1/models HTTP/1.1\r\nHost: x\r\n" + auth
                + "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{\"\r\n"), 0));
        out.add(slow("slow-upload", List.of("POST /v1/datasets?name=slow HTTP/1.1\r\nHost: x\r\n" + auth
                + "Content-Type: text/plain\r\nContent-Length: 50000\r\n\r\n", "line\n", "line\n", "line\n", "line\n"),
                700));
        return out;
    }

    private Case slow(String kind, List<String> parts, long pauseMillis) {
        List<byte[]> bytes = parts.stream().map(p -> p.getBytes(StandardCharsets.ISO_8859_1)).toList();
        String text = String.join("", parts);
        return new Case(kind, null, new RawHttp.Send(bytes, Duration.ofMillis(pauseMillis)), text.length(), text);
    }

    // --- routed requests: every route with odd ids, methods, queries and bodies

    private Case routed() {
        String route = pick(ROUTES);
        routesHit.merge(route, 1, Integer::sum);
        String method = random.nextInt(8) == 0 ? pick(METHODS) : route.substring(0, route.indexOf(' '));
        String id = route.contains("/events") ? eventsId()
                : route.contains("/files/") && random.nextBoolean() ? targets.attackerModel() : id();
        String target = route.substring(route.indexOf(' ') + 1).replace("{id}", id).replace("{name}", fileName());
        if (random.nextInt(4) == 0) {
            target += "?" + query();
        }
        Map<String, String> headers = headers();
        byte[] body = new byte[0];
        if (method.equals("POST") || random.nextInt(10) == 0) {
            body = route.contains("datasets") ? text() : json(route.contains("models") ? modelJson() : jobJson());
            headers.put("Content-Type", route.contains("datasets") ? pick(List.of("text/plain", "application/x-ndjson",
                    "application/json", "image/png")) : pick(List.of("application/json", "application/json; charset=utf-8",
                    "text/plain", "application/problem+json", "")));
        }
        if (route.contains("/events") && random.nextBoolean()) {
            headers.put("Last-Event-ID", pick(List.of("0", "-1", "abc", "99999999999999999999", "%", " 7 ", "1e3")));
        }
        return request("route", route, method, target, headers, body);
    }

    private String id() {
        return switch (random.nextInt(6)) {
            case 0, 1 -> pick(targets.attackerIds());
            case 2 -> pick(targets.victimIds());
            case 3 -> UUID.randomUUID().toString();
            case 4 -> "preset:" + pick(List.of("tiny", "huge", "", "../tiny", "%00"));
            default -> encode(nasty());
        };
    }

    /** Event streams of queued jobs stay open until the job ends: aim only at ended, foreign or absent jobs. */
    private String eventsId() {
        return switch (random.nextInt(4)) {
            case 0 -> targets.attackerFinishedJob();
            case 1 -> pick(targets.victimIds());
            case 2 -> UUID.randomUUID().toString();
            default -> encode(nasty());
        };
    }

    /** Half the time a link of the attacker's folder that leads out of it (to the victim's dataset, to /). */
    private String fileName() {
        if (random.nextBoolean()) {
            return pick(List.of("leak.txt", "up.txt", "leak.txt%00", "LEAK.TXT", "./leak.txt", "leak.txt/"));
        }
        return pick(List.of("config.json", "leak.txt", "up.txt", "..%2Fconfig.json", "%2e%2e", "%00", "tokenizer.json",
                "..", ".", "a%2Fb", "%252e%252e%252f", encode(nasty())));
    }

    // --- bodies

    private Case jobBody() {
        routesHit.merge("POST /v1/jobs", 1, Integer::sum);
        Map<String, String> headers = headers();
        headers.put("Content-Type", "application/json");
        if (random.nextInt(5) == 0) {
            headers.put("Idempotency-Key", random.nextBoolean() ? "key-" + random.nextInt(4) : nasty());
        }
        byte[] body = random.nextInt(6) == 0 ? malformedJson() : json(jobJson());
        return request("job-body", "POST /v1/jobs", "POST", "/v1/jobs", headers, body);
    }

    private String jobJson() {
        boolean train = random.nextBoolean();
        Map<String, String> fields = new java.util.LinkedHashMap<>();
        fields.put("type", train ? "\"train\"" : "\"generate\"");
        if (train) {
            fields.put("model", "\"preset:tiny\"");
            fields.put("dataset", "\"" + targets.attackerIds().get(1) + "\"");
            fields.put("hyperparameters", "{\"steps\":" + (1 + random.nextInt(50)) + ",\"batch_size\":4}");
        } else {
            fields.put("model", "\"" + targets.attackerModel() + "\"");
            fields.put("prompt", "\"hello\"");
            fields.put("max_tokens", "8");
            fields.put("steps", "4");
        }
        List<String> names = List.of("type", "model", "dataset", "prompt", "max_tokens", "steps", "n", "seed",
                "temperature", "top_k", "top_p", "strategy", "threshold", "block_size", "hyperparameters", "noise",
                "output_name", "hyperparameters.steps", "hyperparameters.learning_rate", "hyperparameters.batch_size",
                "hyperparameters.seq_len", "hyperparameters.precision", "unknown_" + random.nextInt(1000));
        for (int i = random.nextInt(4); i > 0; i--) {
            String name = pick(names);
            if (name.startsWith("hyperparameters.")) {
                fields.put("hyperparameters", "{\"" + name.substring(16) + "\":" + value() + "}");
            } else if (random.nextInt(5) == 0) {
                fields.remove(name);
            } else {
                fields.put(name, value());
            }
        }
        if (random.nextInt(10) == 0) {
            fields.put("dataset", "\"" + pick(targets.victimIds()) + "\"");
        }
        StringBuilder json = new StringBuilder("{");
        fields.forEach((k, v) -> json.append(json.length() > 1 ? "," : "").append('"').append(k).append("\":").append(v));
        return json.append('}').toString();
    }

    private Case modelBody() {
        routesHit.merge("POST /v1/models", 1, Integer::sum);
        Map<String, String> headers = headers();
        headers.put("Content-Type", "application/json");
        byte[] body = random.nextInt(6) == 0 ? malformedJson() : json(modelJson());
        return request("model-body", "POST /v1/models", "POST", "/v1/models", headers, body);
    }

    private String modelJson() {
        String root = targets.modelRoot().toString();
        String path = pick(List.of(root, root + "/..", root + "/../../etc", "/etc/passwd", "relative", "",
                root + "/victim-x/../../", root + "/\u0000", root + "/" + "a".repeat(300), root + "/%2e%2e"));
        return switch (random.nextInt(5)) {
            case 0 -> "{\"name\":" + value() + ",\"path\":" + quote(path) + "}";
            case 1 -> "{\"name\":\"n\",\"path\":" + value() + "}";
            case 2 -> "{\"name\":\"n\",\"checkpoint\":{\"job\":\"" + pick(targets.victimIds()) + "\",\"step\":" + value() + "}}";
            case 3 -> "{\"name\":\"n\",\"checkpoint\":" + value() + "}";
            default -> "{\"name\":\"n\",\"path\":" + quote(path) + ",\"" + nasty().replace("\"", "") + "\":1}";
        };
    }

    private Case upload() {
        routesHit.merge("POST /v1/datasets", 1, Integer::sum);
        Map<String, String> headers = headers();
        headers.put("Content-Type", pick(List.of("text/plain", "application/x-ndjson", "application/jsonl", "text/html")));
        String name = pick(List.of("ok", "%00", "%zz", "%", "a%00b", encode(nasty()), "", "x".repeat(300), "%E2%80%AE"));
        String target = "/v1/datasets" + (random.nextInt(8) == 0 ? "" : "?name=" + name);
        return request("upload", "POST /v1/datasets", "POST", target, headers, text());
    }

    private byte[] text() {
        return switch (random.nextInt(6)) {
            case 0 -> new byte[0];
            case 1 -> new byte[] {(byte) 0xff, (byte) 0xfe, '\n'};
            case 2 -> "a\u0000b\n".getBytes(StandardCharsets.UTF_8);
            case 3 -> "{\"text\":1}\n{bad\n".getBytes(StandardCharsets.UTF_8);
            case 4 -> ("line " + nasty() + "\n").repeat(1 + random.nextInt(30)).getBytes(StandardCharsets.UTF_8);
            default -> "\n\n\n".getBytes(StandardCharsets.UTF_8);
        };
    }

    private byte[] malformedJson() {
        return switch (random.nextInt(8)) {
            case 0 -> "{".getBytes(StandardCharsets.UTF_8);
            case 1 -> "[".repeat(3000).getBytes(StandardCharsets.UTF_8);
            case 2 -> new byte[] {'{', '"', (byte) 0xc3, '"', ':', '1', '}'};
            case 3 -> "{\"type\":\"train\"}{}".getBytes(StandardCharsets.UTF_8);
            case 4 -> "nul\u0000".getBytes(StandardCharsets.UTF_8);
            case 5 -> manyFields(20_000);
            case 6 -> ("{\"a\":" + "9".repeat(5000) + "}").getBytes(StandardCharsets.UTF_8);
            default -> "{\"type\":'train'}".getBytes(StandardCharsets.UTF_8);
        };
    }

    private static byte[] manyFields(int n) {
        StringBuilder json = new StringBuilder("{\"type\":\"generate\"");
        for (int i = 0; i < n; i++) {
            json.append(",\"f").append(i).append("\":[1]");
        }
        return json.append('}').toString().getBytes(StandardCharsets.UTF_8);
    }

    private String value() {
        return switch (random.nextInt(16)) {
            case 0 -> "null";
            case 1 -> "true";
            case 2 -> "-1";
            case 3 -> "0";
            case 4 -> "9223372036854775807";
            case 5 -> "1" + "0".repeat(400);
            case 6 -> "-1e308";
            case 7 -> "1.5";
            case 8 -> "NaN";
            case 9 -> "[]";
            case 10 -> "{\"a\":{\"b\":[1,2,{}]}}";
            case 11 -> quote(nasty());
            case 12 -> "\"\\u0000\"";
            case 13 -> quote("x".repeat(5000 + random.nextInt(5000)));
            case 14 -> "\"\\ud800\"";
            default -> String.valueOf(random.nextInt(10_000) - 5000);
        };
    }

    // --- queries and cursors

    private Case cursorOrQuery() {
        routesHit.merge("GET /v1/jobs", 1, Integer::sum);
        String raw = switch (random.nextInt(6)) {
            case 0 -> random.nextLong() + ":" + random.nextLong() + ":" + UUID.randomUUID();
            case 1 -> "99999999999999999:0:" + UUID.randomUUID();
            case 2 -> "9223372036854775807:999999999999:" + UUID.randomUUID();
            case 3 -> "-62135596801:0:" + UUID.randomUUID();
            case 4 -> nasty();
            default -> Math.abs(random.nextInt()) + ":" + random.nextInt(1_000_000_000) + ":" + nasty();
        };
        String cursor = random.nextInt(4) == 0 ? encode(raw)
                : Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
        String target = "/v1/jobs?cursor=" + cursor + (random.nextBoolean() ? "&" + query() : "");
        return request("cursor", "GET /v1/jobs", "GET", target, headers(), new byte[0]);
    }

    private String query() {
        String name = pick(List.of("status", "type", "limit", "cursor", "last_event_id", "name", "x", "%00", "%zz"));
        String value = pick(List.of("queued", "running", "train", "0", "-1", "101", "20", "99999999999999999999",
                "%", "%zz", "%00", "a%2", "%E2%82", encode(nasty()), "1e3", ""));
        return name + "=" + value + (random.nextInt(5) == 0 ? "&" + name + "=" + value : "");
    }

    // --- framing and headers

    private Case framing() {
        String auth = "Authorization: Bearer " + secret + "\r\n";
        String text = switch (random.nextInt(18)) {
            case 0 -> "GET /v1/jobs HTTP/1.1\r\n" + auth + "\r\n";
            case 1 -> "GET /v1/jobs HTTP/1.1\r\nHost: [::1\r\n" + auth + "\r\n";
            case 2 -> "GET /v1/jobs HTTP/9.9\r\nHost: x\r\n" + auth + "\r\n";
            case 3 -> "GET /v1/jobs HTTP/1.1\r\nHost: x\r\nX-Big: " + "b".repeat(9000) + "\r\n\r\n";
            case 4 -> "GET /v1/jobs?" + "q".repeat(5000) + " HTTP/1.1\r\nHost: x\r\n\r\n";
            case 5 -> "POST /v1/jobs HTTP/1.1\r\nHost: x\r\n" + auth + "Content-Length: 2\r\nContent-Length: 7\r\n\r\n{}";
            case 6 -> "POST /v1/jobs HTTP/1.1\r\nHost: x\r\n" + auth + "Content-Length: -5\r\n\r\n{}";
            case 7 -> "POST /v1/jobs HTTP/1.1\r\nHost: x\r\n" + auth + "Content-Type: application/json\r\n"
                    + "Transfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n";
            case 8 -> "POST /v1/jobs HTTP/1.1\r\nHost: x\r\n" + auth + "Transfer-Encoding: chunked\r\n"
                    + "Content-Length: 3\r\n\r\n0\r\n\r\n";
            case 9 -> nasty() + "\r\n\r\n";
            case 10 -> "GET /v1/jobs HTTP/1.1\r\nHost: x\r\nBroken header\r\n\r\n";
            case 11 -> "GET /v1/jobs HTTP/1.1\r\nHost: x\r\n X-Folded: yes\r\n" + auth + "\r\n";
            case 12 -> "GET http://elsewhere.example/v1/jobs HTTP/1.1\r\nHost: x\r\n" + auth + "\r\n";
            case 13 -> "OPTIONS * HTTP/1.1\r\nHost: x\r\n\r\n";
            case 14 -> "GET /v1/jobs HTTP/1.1\r\nHost: x\r\nAuthorization: " + pick(List.of("Bearer", "Basic Zm9v",
                    "Bearer " + "k".repeat(3000), "bearer " + secret, "Bearer \u0001")) + "\r\n\r\n";
            case 15 -> "GET /v1/jobs HTTP/1.1\r\nHost: x\r\n" + "X-H: 1\r\n".repeat(700) + "\r\n";
            case 16 -> "GET /v1/jobs\u0000 HTTP/1.1\r\nHost: x\r\n\r\n";
            default -> "GET /v1/../../etc/passwd HTTP/1.1\r\nHost: x\r\n" + auth + "\r\n";
        };
        byte[] bytes = text.getBytes(StandardCharsets.ISO_8859_1);
        return new Case("framing", null, RawHttp.Send.all(bytes), bytes.length, text);
    }

    // --- helpers

    private Map<String, String> headers() {
        Map<String, String> headers = new java.util.LinkedHashMap<>();
        headers.put("Host", random.nextInt(30) == 0 ? pick(List.of("", "a b", "[::1", "x:99999")) : "127.0.0.1");
        int auth = random.nextInt(20);
        if (auth > 1) {
            headers.put("Authorization", "Bearer " + secret);
        } else if (auth == 1) {
            headers.put("Authorization", pick(List.of("Bearer nope", "Token " + secret, "Bearer", "")));
        }
        return headers;
    }

    private Case request(String kind, String route, String method, String target, Map<String, String> headers,
            byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        StringBuilder head = new StringBuilder(method).append(' ').append(target).append(" HTTP/1.1\r\n");
        headers.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
        head.append("Content-Length: ").append(body.length).append("\r\nConnection: close\r\n\r\n");
        byte[] headBytes = head.toString().getBytes(StandardCharsets.UTF_8);
        out.writeBytes(headBytes);
        out.writeBytes(body);
        byte[] bytes = out.toByteArray();
        return new Case(kind, route, RawHttp.Send.all(bytes), bytes.length,
                head + new String(body, StandardCharsets.UTF_8));
    }

    private String nasty() {
        return pick(List.of("\u0000", "../../etc/passwd", "..%2f..%2f", "%00", "\u202e\u0645\u0631\u062d\u0628\u0627",
                "\ud83d\ude00".repeat(50), "' OR 1=1 --", "<script>alert(1)</script>", "a".repeat(2000), "${jndi:x}",
                "\r\nX-Injected: 1", "C:\\\\windows", " ", "\t", "%", "\\", "\"", "\u00ff\u00fe", "null"));
    }

    private static String quote(String s) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.append('"').toString();
    }

    private static String encode(String s) {
        return java.net.URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static byte[] json(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private <T> T pick(List<T> list) {
        return list.get(random.nextInt(list.size()));
    }
}

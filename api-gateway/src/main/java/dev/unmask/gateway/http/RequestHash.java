package dev.unmask.gateway.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.unmask.shared.job.JobType;
import dev.unmask.shared.json.JsonCodec;
import dev.unmask.shared.spec.JobRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The SHA-256 of a request's normalised spec (every default filled in), which an
 * {@code Idempotency-Key} is bound to. A generate seed drawn at random (the body had none) is left
 * out, so resending the same body matches.
 */
public final class RequestHash {
    private RequestHash() {}

    public static String of(JobRequest request, JsonNode body) {
        ObjectNode spec = request.specJson();
        if (request.type() == JobType.GENERATE && !body.hasNonNull("seed")) {
            spec.remove("seed");
        }
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(sha.digest(JsonCodec.write(spec).getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

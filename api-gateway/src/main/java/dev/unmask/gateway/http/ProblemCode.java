package dev.unmask.gateway.http;

import java.util.Locale;

/**
 * Every stable {@code code} a problem+json response can carry: a {@link Problem} and an
 * {@link ApiException} take one of these, so the gateway cannot emit a code that is not listed
 * here, and {@code openapi.json}'s {@code Problem.code} enum is checked against this list.
 */
public enum ProblemCode {
    BAD_REQUEST,
    CLIENT_ERROR,
    HEADER_TOO_LARGE,
    HTTP_VERSION_NOT_SUPPORTED,
    IDEMPOTENCY_CONFLICT,
    INTERNAL,
    INVALID_CURSOR,
    INVALID_DATASET,
    INVALID_LAST_EVENT_ID,
    JOB_FINISHED,
    MALFORMED_JSON,
    MALFORMED_REQUEST,
    METHOD_NOT_ALLOWED,
    NOT_A_MODEL,
    NOT_FOUND,
    PATH_NOT_ALLOWED,
    PAYLOAD_TOO_LARGE,
    REQUEST_TIMEOUT,
    UNAUTHORIZED,
    UNAVAILABLE,
    UNSUPPORTED_MEDIA_TYPE,
    URI_TOO_LONG,
    VALIDATION_FAILED;

    /** The code as it appears on the wire: {@code not_found}. */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }
}

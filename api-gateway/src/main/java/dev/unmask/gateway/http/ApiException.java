package dev.unmask.gateway.http;

import dev.unmask.shared.spec.FieldError;
import java.util.List;

/** A request the API refuses: its HTTP status, stable {@code code}, a detail for people, and field errors. */
public final class ApiException extends RuntimeException {
    private final int status;
    private final ProblemCode code;
    private final List<FieldError> errors;

    public ApiException(int status, ProblemCode code, String detail, List<FieldError> errors) {
        super(detail);
        this.status = status;
        this.code = code;
        this.errors = List.copyOf(errors);
    }

    public ApiException(int status, ProblemCode code, String detail) {
        this(status, code, detail, List.of());
    }

    public static ApiException notFound(String what) {
        return new ApiException(404, ProblemCode.NOT_FOUND, what + " not found");
    }

    public static ApiException unauthorized(String detail) {
        return new ApiException(401, ProblemCode.UNAUTHORIZED, detail);
    }

    public static ApiException badRequest(ProblemCode code, String detail) {
        return new ApiException(400, code, detail);
    }

    public int status() {
        return status;
    }

    public ProblemCode code() {
        return code;
    }

    public List<FieldError> errors() {
        return errors;
    }
}

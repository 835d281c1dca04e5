package dev.unmask.gateway.http;

import dev.unmask.shared.job.JobStatus;
import dev.unmask.shared.job.JobType;
import dev.unmask.shared.spec.Validation;
import io.vertx.core.MultiMap;

/** The query of {@code GET /v1/jobs}: {@code status, type, limit (1..100, default 20), cursor}. */
public record JobQuery(JobStatus status, JobType type, int limit, String cursor) {
    public static final int DEFAULT_LIMIT = 20;
    public static final int MAX_LIMIT = 100;

    /** @throws dev.unmask.shared.spec.ValidationException naming each bad parameter */
    public static JobQuery parse(MultiMap params) {
        Validation v = new Validation();
        JobStatus status = null;
        String statusText = params.get("status");
        if (statusText != null) {
            status = JobStatus.fromWire(statusText).orElse(null);
            if (status == null) {
                v.add("status", "enum", "must be one of [queued, running, succeeded, failed, cancelled], got '"
                        + statusText + "'");
            }
        }
        JobType type = null;
        String typeText = params.get("type");
        if (typeText != null) {
            type = JobType.fromWire(typeText).orElse(null);
            if (type == null) {
                v.add("type", "enum", "must be one of [generate, train], got '" + typeText + "'");
            }
        }
        int limit = DEFAULT_LIMIT;
        String limitText = params.get("limit");
        if (limitText != null) {
            try {
                limit = Integer.parseInt(limitText);
                if (limit < 1 || limit > MAX_LIMIT) {
                    v.add("limit", "range", "must be in [1, " + MAX_LIMIT + "], got " + limit);
                }
            } catch (NumberFormatException e) {
                v.add("limit", "type", "must be an integer, got '" + limitText + "'");
            }
        }
        String cursor = params.get("cursor");
        v.throwIfAny();
        return new JobQuery(status, type, limit, cursor == null || cursor.isEmpty() ? null : cursor);
    }
}

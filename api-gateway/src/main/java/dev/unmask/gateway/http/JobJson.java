package dev.unmask.gateway.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.unmask.shared.job.Job;
import dev.unmask.shared.job.JobStatus;
import dev.unmask.shared.json.JsonCodec;
import java.time.Instant;

/**
 * A job as the API shows it: {@code {id, type, status, created_at, started_at, finished_at, attempts,
 * max_attempts, cancel_requested, progress:{step,total}, spec, result, error}}; absent values are explicit nulls.
 */
public final class JobJson {
    private JobJson() {}

    public static ObjectNode of(Job job) {
        ObjectNode json = JsonCodec.MAPPER.createObjectNode();
        json.put("id", job.id().toString());
        json.put("type", job.type().wire());
        json.put("status", job.status().wire());
        putInstant(json, "created_at", job.createdAt());
        putInstant(json, "started_at", job.startedAt());
        putInstant(json, "finished_at", job.finishedAt());
        json.put("attempts", job.attempts());
        json.put("max_attempts", job.maxAttempts());
        json.put("cancel_requested", job.cancelRequested());
        ObjectNode progress = json.putObject("progress");
        progress.put("step", job.progressStep());
        progress.put("total", job.progressTotal());
        json.set("spec", job.spec());
        json.set("result", job.result());
        if (job.errorCode() != null && (job.status() == JobStatus.FAILED || job.status() == JobStatus.QUEUED)) {
            ObjectNode error = json.putObject("error");
            error.put("code", job.errorCode());
            error.put("message", job.errorMessage());
        } else {
            json.putNull("error");
        }
        return json;
    }

    static void putInstant(ObjectNode json, String field, Instant at) {
        if (at == null) {
            json.putNull(field);
        } else {
            json.put(field, at.toString());
        }
    }
}

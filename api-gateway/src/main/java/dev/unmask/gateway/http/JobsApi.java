package dev.unmask.gateway.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.unmask.gateway.metrics.JobMetrics;
import dev.unmask.shared.artifact.ArtifactStore;
import dev.unmask.shared.job.Job;
import dev.unmask.shared.json.JsonCodec;
import dev.unmask.shared.log.JobLog;
import dev.unmask.shared.spec.JobRequest;
import dev.unmask.shared.spec.Validation;
import dev.unmask.shared.spec.ValidationException;
import dev.unmask.shared.store.CancelOutcome;
import dev.unmask.shared.store.Checkpoint;
import dev.unmask.shared.store.CheckpointStore;
import dev.unmask.shared.store.JobPage;
import dev.unmask.shared.store.JobStore;
import dev.unmask.shared.store.NewJob;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code /v1/jobs}: submit, read, list, cancel, checkpoints. */
@SuppressWarnings("try") // JobLog scopes: opened for their effect on the MDC
public final class JobsApi {
    private static final Logger LOG = LoggerFactory.getLogger(JobsApi.class);
    static final String IDEMPOTENCY_KEY = "Idempotency-Key";
    private static final int MAX_KEY_LENGTH = 200;

    private final JobStore jobs;
    private final CheckpointStore checkpoints;
    private final References references;
    private final Blocking blocking;
    private final int maxAttempts;
    private final Runnable outboxWritten;
    private final ArtifactStore artifacts;
    private final SubmitBatcher submits;
    private final JobReads reads;
    private final JobMetrics metrics;

    JobsApi(JobStore jobs, CheckpointStore checkpoints, References references, Blocking blocking, int maxAttempts,
            Runnable outboxWritten, ArtifactStore artifacts, SubmitBatcher submits, JobReads reads, JobMetrics metrics) {
        this.submits = submits;
        this.reads = reads;
        this.metrics = metrics;
        this.artifacts = artifacts;
        this.jobs = jobs;
        this.checkpoints = checkpoints;
        this.references = references;
        this.blocking = blocking;
        this.maxAttempts = maxAttempts;
        this.outboxWritten = outboxWritten;
    }

    public void submit(RoutingContext ctx) {
        UUID owner = ApiKeyAuth.owner(ctx);
        JsonNode body = JsonBodies.read(ctx);
        JobRequest request = JobRequest.parse(body);
        String key = ctx.request().getHeader(IDEMPOTENCY_KEY);
        if (key != null && (key.isBlank() || key.length() > MAX_KEY_LENGTH)) {
            throw ValidationException.of(IDEMPOTENCY_KEY, "length", "must be 1 to " + MAX_KEY_LENGTH + " characters");
        }
        Validation headers = new Validation();
        headers.refuseNul(IDEMPOTENCY_KEY, key);
        headers.throwIfAny();
        String hash = RequestHash.of(request, body);
        submits.submit(() -> {
            references.check(owner, request);
            return new NewJob(owner, request.type(), request.specJson(), maxAttempts, key, hash,
                    References.progressTotal(request));
        }).onSuccess(submitted -> {
            Job job = submitted.job();
            if (submitted.created()) {
                outboxWritten.run(); // the relay publishes it now rather than at its next poll
                metrics.accepted(job.type());
                try (JobLog log = JobLog.of(job.id())) {
                    LOG.info("job {} submitted ({})", job.id(), job.type().wire());
                }
            }
            Responses.created(ctx, submitted.created() ? 202 : 200, "/v1/jobs/" + job.id(), JobJson.of(job));
        }).onFailure(ctx::fail);
    }

    public void get(RoutingContext ctx) {
        UUID owner = ApiKeyAuth.owner(ctx);
        UUID id = Ids.parse(ctx.pathParam("id"), "job");
        reads.find(id, owner).onSuccess(job -> {
            if (job.isPresent()) {
                Responses.json(ctx, 200, JobJson.of(job.get()));
            } else {
                ctx.fail(ApiException.notFound("job " + id));
            }
        }).onFailure(ctx::fail);
    }

    public void list(RoutingContext ctx) {
        UUID owner = ApiKeyAuth.owner(ctx);
        JobQuery query = JobQuery.parse(ctx.queryParams());
        blocking.run(() -> page(owner, query)).onSuccess(page -> {
            ObjectNode json = JsonCodec.MAPPER.createObjectNode();
            ArrayNode list = json.putArray("jobs");
            page.jobs().forEach(job -> list.add(JobJson.of(job)));
            json.put("next_cursor", page.nextCursor());
            Responses.json(ctx, 200, json);
        }).onFailure(ctx::fail);
    }

    private JobPage page(UUID owner, JobQuery query) {
        try {
            return jobs.list(owner, query.status(), query.type(), query.limit(), query.cursor());
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(ProblemCode.INVALID_CURSOR, "the cursor is not one this server gave out");
        }
    }

    public void cancel(RoutingContext ctx) {
        UUID owner = ApiKeyAuth.owner(ctx);
        UUID id = Ids.parse(ctx.pathParam("id"), "job");
        blocking.run(() -> {
            owned(id, owner);
            CancelOutcome outcome = jobs.requestCancel(id);
            if (outcome.effect() == CancelOutcome.Effect.ALREADY_FINISHED) {
                throw new ApiException(409, ProblemCode.JOB_FINISHED,
                        "job " + id + " is already " + outcome.job().status().wire() + "; nothing to cancel");
            }
            return outcome.job();
        }).onSuccess(job -> Responses.json(ctx, 202, JobJson.of(job))).onFailure(ctx::fail);
    }

    public void checkpoints(RoutingContext ctx) {
        UUID owner = ApiKeyAuth.owner(ctx);
        UUID id = Ids.parse(ctx.pathParam("id"), "job");
        blocking.run(() -> {
            owned(id, owner);
            return checkpoints.list(id);
        }).onSuccess(list -> Responses.json(ctx, 200, checkpointsJson(list))).onFailure(ctx::fail);
    }

    private ObjectNode checkpointsJson(List<Checkpoint> list) {
        ObjectNode json = JsonCodec.MAPPER.createObjectNode();
        ArrayNode items = json.putArray("checkpoints");
        for (Checkpoint c : list) {
            ObjectNode item = items.addObject();
            item.put("step", c.step());
            item.put("artifact", artifacts.reference(c.uri()));
            item.set("metrics", c.metrics());
            JobJson.putInstant(item, "created_at", c.createdAt());
        }
        return json;
    }

    private Job owned(UUID id, UUID owner) {
        return jobs.findOwned(id, owner).orElseThrow(() -> ApiException.notFound("job " + id));
    }
}

package dev.unmask.gateway.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.unmask.gateway.model.ModelPaths;
import dev.unmask.gateway.model.UnregistrableModelException;
import dev.unmask.shared.json.JsonCodec;
import dev.unmask.shared.spec.ModelRef;
import dev.unmask.shared.spec.Validation;
import dev.unmask.shared.store.Checkpoint;
import dev.unmask.shared.store.CheckpointStore;
import dev.unmask.shared.store.JobStore;
import dev.unmask.shared.store.Model;
import dev.unmask.shared.store.ModelStore;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;

/** {@code /v1/models}: presets, folders registered from the server's model roots, trained models. */
public final class ModelsApi {
    private final ModelStore models;
    private final ModelPaths paths;
    private final Blocking blocking;
    private final JobStore jobs;
    private final CheckpointStore checkpoints;

    ModelsApi(ModelStore models, ModelPaths paths, Blocking blocking, JobStore jobs, CheckpointStore checkpoints) {
        this.jobs = jobs;
        this.checkpoints = checkpoints;
        this.models = models;
        this.paths = paths;
        this.blocking = blocking;
    }

    /**
     * {@code POST /v1/models}: {@code {"name", "path"}} registers a folder under a model root;
     * {@code {"name", "checkpoint": {"job", "step"}}} registers a checkpoint of one of the key's own
     * train jobs (wherever the artifact store is), so it can be generated from; {@code {"name", "hub":
     * "org/name[@revision]"}} registers a Hub model, which a worker fetches when a job first uses it.
     */
    public void register(RoutingContext ctx) {
        UUID owner = ApiKeyAuth.owner(ctx);
        JsonNode body = JsonBodies.read(ctx);
        Validation v = new Validation();
        if (!body.isObject()) {
            v.add("", "type", "the body must be a JSON object");
            v.throwIfAny();
        }
        v.onlyFields(body, "", Set.of("name", "path", "checkpoint", "hub"));
        String name = v.string(body, "", "name", null, 200);
        if (body.has("hub")) {
            registerHub(ctx, owner, name, body, v);
            return;
        }
        JsonNode checkpoint = v.object(body, "", "checkpoint");
        if (checkpoint == null) {
            String path = v.string(body, "", "path", null, 4096);
            v.throwIfAny();
            blocking.run(() -> models.insert(owner, name, "registered", registrable(path).toString(), null))
                    .onSuccess(m -> Responses.created(ctx, 201, "/v1/models/" + m.id(), ModelJson.of(m)))
                    .onFailure(ctx::fail);
            return;
        }
        if (body.has("path")) {
            v.add("path", "exclusive", "give either path or checkpoint, not both");
        }
        v.onlyFields(checkpoint, "checkpoint", Set.of("job", "step"));
        String jobText = v.string(checkpoint, "checkpoint", "job", null, 36);
        long step = v.integer(checkpoint, "checkpoint", "step", -1, 0, Long.MAX_VALUE);
        if (step < 0 && !checkpoint.has("step")) {
            v.add("checkpoint.step", "required", "is required");
        }
        UUID jobId = null;
        if (jobText != null) {
            try {
                jobId = UUID.fromString(jobText);
            } catch (IllegalArgumentException e) {
                v.add("checkpoint.job", "type", "must be a job id (a UUID)");
            }
        }
        v.throwIfAny();
        registerCheckpoint(ctx, owner, name, jobId, step);
    }

    private void registerHub(RoutingContext ctx, UUID owner, String name, JsonNode body, Validation v) {
        String hub = v.string(body, "", "hub", null, 300);
        if (hub != null && !ModelRef.isHubId(hub)) {
            v.add("hub", "format", "must be a Hub id, org/name or org/name@revision, got '" + hub + "'");
        }
        if (body.has("path") || body.has("checkpoint")) {
            v.add("hub", "exclusive", "give one of path, checkpoint or hub");
        }
        v.throwIfAny();
        blocking.run(() -> models.insert(owner, name, "registered", ModelRef.HUB_URI_PREFIX + hub, null))
                .onSuccess(m -> Responses.created(ctx, 201, "/v1/models/" + m.id(), ModelJson.of(m)))
                .onFailure(ctx::fail);
    }

    private void registerCheckpoint(RoutingContext ctx, UUID owner, String name, UUID jobId, long step) {
        blocking.run(() -> {
            jobs.findOwned(jobId, owner).orElseThrow(() -> ApiException.notFound("job " + jobId));
            Checkpoint saved = checkpoints.list(jobId).stream().filter(c -> c.step() == step).findFirst()
                    .orElseThrow(() -> ApiException.notFound("checkpoint at step " + step + " of job " + jobId));
            if (!Files.isRegularFile(Path.of(saved.uri()).resolve("config.json"))) {
                throw new ApiException(422, ProblemCode.NOT_A_MODEL, "the checkpoint at step " + step + " of job " + jobId
                        + " is no longer in the artifact store");
            }
            return models.insert(owner, name, "registered", saved.uri(), jobId); // its source_job names the job
        }).onSuccess(m -> Responses.created(ctx, 201, "/v1/models/" + m.id(), ModelJson.of(m)))
                .onFailure(ctx::fail);
    }

    public void list(RoutingContext ctx) {
        UUID owner = ApiKeyAuth.owner(ctx);
        blocking.run(() -> models.list(owner)).onSuccess(list -> {
            ObjectNode json = JsonCodec.MAPPER.createObjectNode();
            ArrayNode items = json.putArray("models");
            ModelRef.PRESETS.forEach(p -> items.add(ModelJson.preset(p)));
            list.forEach(m -> items.add(ModelJson.of(m)));
            Responses.json(ctx, 200, json);
        }).onFailure(ctx::fail);
    }

    public void get(RoutingContext ctx) {
        UUID owner = ApiKeyAuth.owner(ctx);
        String idText = ctx.pathParam("id");
        if (idText.startsWith(ModelRef.PRESET_PREFIX)) {
            String preset = idText.substring(ModelRef.PRESET_PREFIX.length());
            if (!ModelRef.PRESETS.contains(preset)) {
                throw ApiException.notFound("model " + idText);
            }
            ObjectNode json = ModelJson.preset(preset);
            json.putArray("files");
            Responses.json(ctx, 200, json);
            return;
        }
        UUID id = Ids.parse(idText, "model");
        blocking.run(() -> {
            Model m = owned(id, owner);
            ObjectNode json = ModelJson.of(m);
            ArrayNode files = json.putArray("files");
            paths.files(Path.of(m.uri())).forEach(files::add);
            return json;
        }).onSuccess(json -> Responses.json(ctx, 200, json)).onFailure(ctx::fail);
    }

    /** {@code GET /v1/models/{id}/files/{name}}: a plain file directly inside the model folder. */
    public void file(RoutingContext ctx) {
        UUID owner = ApiKeyAuth.owner(ctx);
        UUID id = Ids.parse(ctx.pathParam("id"), "model");
        String name = ctx.pathParam("name");
        blocking.run(() -> {
            Model m = owned(id, owner);
            return paths.file(Path.of(m.uri()), name)
                    .orElseThrow(() -> ApiException.notFound("file '" + name + "' of model " + id));
        }).onSuccess(file -> {
            ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, contentType(name));
            ctx.response().sendFile(file.toString()).onFailure(ctx::fail);
        }).onFailure(ctx::fail);
    }

    private Path registrable(String path) {
        try {
            return paths.registrable(path);
        } catch (UnregistrableModelException e) {
            throw e.reason() == UnregistrableModelException.Reason.NOT_ALLOWED
                    ? new ApiException(403, ProblemCode.PATH_NOT_ALLOWED, e.getMessage())
                    : new ApiException(422, ProblemCode.NOT_A_MODEL, e.getMessage());
        }
    }

    private Model owned(UUID id, UUID owner) {
        return models.findOwned(id, owner).orElseThrow(() -> ApiException.notFound("model " + id));
    }

    private static String contentType(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        if (lower.endsWith(".json")) {
            return "application/json";
        }
        if (lower.endsWith(".txt") || lower.endsWith(".md")) {
            return "text/plain; charset=utf-8";
        }
        return "application/octet-stream";
    }
}

package dev.unmask.gateway.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.unmask.gateway.dataset.DatasetCheck;
import dev.unmask.gateway.dataset.InvalidDatasetException;
import dev.unmask.gateway.dataset.UploadSink;
import dev.unmask.shared.artifact.ArtifactStore;
import dev.unmask.shared.json.JsonCodec;
import dev.unmask.shared.spec.Validation;
import dev.unmask.shared.spec.ValidationException;
import dev.unmask.shared.store.Dataset;
import dev.unmask.shared.store.DatasetStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;

/**
 * {@code /v1/datasets}: uploads stream into the artifact store, are checked line by line, and
 * are deleted again when they do not pass.
 */
public final class DatasetsApi {
    private static final int MAX_NAME = 200;

    private final Vertx vertx;
    private final DatasetStore datasets;
    private final ArtifactStore artifacts;
    private final Blocking blocking;
    private final long maxBytes;
    private final Duration stallWindow;

    DatasetsApi(Vertx vertx, DatasetStore datasets, ArtifactStore artifacts, Blocking blocking, long maxBytes,
            Duration stallWindow) {
        this.vertx = vertx;
        this.stallWindow = stallWindow;
        this.datasets = datasets;
        this.artifacts = artifacts;
        this.blocking = blocking;
        this.maxBytes = maxBytes;
    }

    /** {@code POST /v1/datasets?name=N}, body {@code text/plain} or {@code application/x-ndjson}. */
    public void upload(RoutingContext ctx) {
        UUID owner = ApiKeyAuth.owner(ctx);
        HttpServerRequest request = ctx.request();
        request.pause(); // until the file is open: no chunk may arrive without a handler
        String name = request.getParam("name");
        if (name == null || name.isBlank() || name.length() > MAX_NAME) {
            throw ValidationException.of("name", name == null ? "required" : "length",
                    "the query parameter name must be 1 to " + MAX_NAME + " characters");
        }
        Validation v = new Validation();
        v.refuseNul("name", name);
        v.throwIfAny();
        String format = format(JsonBodies.mediaType(request.getHeader("Content-Type")));
        String length = request.getHeader("Content-Length");
        if (length != null && parseLength(length) > maxBytes) {
            throw tooLarge();
        }
        UUID id = UUID.randomUUID();
        Path file = artifacts.datasetFile(id, format);
        UploadSink.receive(vertx, request, file, maxBytes, stallWindow)
                .recover(failure -> Future.failedFuture(failure instanceof UploadSink.TooLargeException ? tooLarge()
                        : failure instanceof UploadSink.StalledException ? stalled(failure) : failure))
                .compose(bytes -> blocking.run(() -> store(id, owner, name, format, bytes, file)))
                .onSuccess(d -> Responses.created(ctx, 201, "/v1/datasets/" + d.id(), DatasetJson.of(d)))
                .onFailure(failure -> {
                    if (failure instanceof ApiException e && e.status() == 408) {
                        Problems.writeAndClose(request, new Problem(408, e.code(), e.getMessage()));
                    } else {
                        ctx.fail(failure);
                    }
                });
    }

    private Dataset store(UUID id, UUID owner, String name, String format, long bytes, Path file) throws IOException {
        try {
            long documents = DatasetCheck.documents(file, format);
            return datasets.insert(id, owner, name, format, bytes, documents, file.toString());
        } catch (InvalidDatasetException e) {
            Files.deleteIfExists(file);
            throw new ApiException(422, ProblemCode.INVALID_DATASET, e.getMessage(), e.errors());
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(file);
            throw e;
        }
    }

    public void list(RoutingContext ctx) {
        UUID owner = ApiKeyAuth.owner(ctx);
        blocking.run(() -> datasets.list(owner)).onSuccess(list -> {
            ObjectNode json = JsonCodec.MAPPER.createObjectNode();
            ArrayNode items = json.putArray("datasets");
            list.forEach(d -> items.add(DatasetJson.of(d)));
            Responses.json(ctx, 200, json);
        }).onFailure(ctx::fail);
    }

    public void get(RoutingContext ctx) {
        UUID owner = ApiKeyAuth.owner(ctx);
        UUID id = Ids.parse(ctx.pathParam("id"), "dataset");
        blocking.run(() -> datasets.findOwned(id, owner).orElseThrow(() -> ApiException.notFound("dataset " + id)))
                .onSuccess(d -> Responses.json(ctx, 200, DatasetJson.of(d)))
                .onFailure(ctx::fail);
    }

    private static String format(String mediaType) {
        return switch (mediaType) {
            case "text/plain" -> "text";
            case "application/x-ndjson", "application/jsonl", "application/x-jsonlines" -> "jsonl";
            default -> throw new ApiException(415, ProblemCode.UNSUPPORTED_MEDIA_TYPE, "send a dataset as text/plain (one "
                    + "document per line) or application/x-ndjson (JSON lines), got '" + mediaType + "'");
        };
    }

    private static long parseLength(String header) {
        try {
            return Long.parseLong(header.trim());
        } catch (NumberFormatException e) {
            throw ApiException.badRequest(ProblemCode.BAD_REQUEST, "Content-Length is not a number");
        }
    }

    private static ApiException stalled(Throwable failure) {
        return new ApiException(408, ProblemCode.REQUEST_TIMEOUT, failure.getMessage());
    }

    private ApiException tooLarge() {
        return new ApiException(413, ProblemCode.PAYLOAD_TOO_LARGE, "a dataset may be at most " + maxBytes + " bytes");
    }
}

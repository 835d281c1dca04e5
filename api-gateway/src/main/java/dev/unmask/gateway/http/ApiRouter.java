package dev.unmask.gateway.http;

import dev.unmask.gateway.model.ModelPaths;
import dev.unmask.shared.store.ApiKeyStore;
import dev.unmask.shared.store.CheckpointStore;
import dev.unmask.shared.store.DatasetStore;
import dev.unmask.shared.store.EventStore;
import dev.unmask.shared.store.JobStore;
import dev.unmask.shared.store.ModelStore;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;

/**
 * Every route of the API, in one table. {@code /openapi.json} documents each route that names a
 * method and an exact path (see {@link RouteTemplates}); a test keeps the two equal.
 */
public final class ApiRouter {
    /** The most submits committed in one statement (group commit, {@link SubmitBatcher}). */
    static final int SUBMIT_BATCH = 64;
    /** The most {@code GET /v1/jobs/{id}} reads answered by one statement ({@link JobReads}). */
    static final int READ_BATCH = 64;

    private ApiRouter() {}

    public static Router create(Vertx vertx, Services s, Blocking jdbc, Blocking probes) {
        JobStore jobStore = new JobStore(s.db());
        DatasetStore datasetStore = new DatasetStore(s.db());
        ModelStore modelStore = new ModelStore(s.db());
        ApiKeyAuth auth = new ApiKeyAuth(new ApiKeyStore(s.db()), jdbc, s.authCacheTtl(), s.clock());
        CheckpointStore checkpointStore = new CheckpointStore(s.db());
        JobsApi jobs = new JobsApi(jobStore, checkpointStore, new References(datasetStore, modelStore), jdbc,
                s.settings().maxAttempts(), s.outboxWritten(), s.artifacts(),
                new SubmitBatcher(jobStore, jdbc, SUBMIT_BATCH, SubmitBatcher.inFlight(s.jdbcPoolSize())),
                new JobReads(jobStore, jdbc, READ_BATCH, JobReads.inFlight(s.jdbcPoolSize())),
                s.metrics().jobs());
        EventsApi events = new EventsApi(vertx, jobStore, new EventStore(s.db()), s.hub(), jdbc, s.heartbeat());
        DatasetsApi datasets = new DatasetsApi(vertx, datasetStore, s.artifacts(), jdbc, s.settings().maxDatasetBytes(),
                s.settings().http().body());
        BodyDeadline bodyDeadline = new BodyDeadline(vertx, s.settings().http().body());
        ModelsApi models = new ModelsApi(modelStore,
                new ModelPaths(s.settings().modelRoots()), jdbc, jobStore, checkpointStore);
        HealthApi health = new HealthApi(s.db(), s.kafka(), probes);
        MetricsApi metrics = new MetricsApi(s.metrics(), probes);
        OpenApiDoc openApi = OpenApiDoc.load();
        HttpMetrics httpMetrics = new HttpMetrics(s.metrics().registry());

        Router router = Router.router(vertx);
        router.route().handler(httpMetrics::handle);
        router.get("/health/live").handler(health::live);
        router.get("/health/ready").handler(health::ready);
        router.get("/metrics").handler(metrics::scrape);
        router.get("/openapi.json").handler(openApi::serve);

        router.route("/v1/*").handler(auth::handle);
        router.post("/v1/datasets").handler(datasets::upload); // streams its body: before the BodyHandler
        router.route("/v1/*").handler(bodyDeadline::handle);
        router.route("/v1/*").handler(BodyHandler.create(false).setBodyLimit(s.jsonBodyLimit()));
        router.route("/v1/jobs/:id").handler(JobLogContext::handle);
        router.route("/v1/jobs/:id/*").handler(JobLogContext::handle);

        router.post("/v1/jobs").handler(jobs::submit);
        router.get("/v1/jobs").handler(jobs::list);
        router.get("/v1/jobs/:id").handler(jobs::get);
        router.post("/v1/jobs/:id/cancel").handler(jobs::cancel);
        router.get("/v1/jobs/:id/events").handler(events::stream);
        router.get("/v1/jobs/:id/checkpoints").handler(jobs::checkpoints);

        router.get("/v1/datasets").handler(datasets::list);
        router.get("/v1/datasets/:id").handler(datasets::get);

        router.post("/v1/models").handler(models::register);
        router.get("/v1/models").handler(models::list);
        router.get("/v1/models/:id").handler(models::get);
        router.get("/v1/models/:id/files/:name").handler(models::file);

        router.get("/*").handler(WebUi.handler()); // the browser UI; after the API, so /v1 and /health win

        router.route().failureHandler(Problems::handle);
        router.errorHandler(400, Problems::handle);
        router.errorHandler(404, Problems::handle);
        router.errorHandler(405, Problems::handle);
        router.errorHandler(500, Problems::handle);
        httpMetrics.routes(RouteTemplates.of(router));
        return router;
    }
}

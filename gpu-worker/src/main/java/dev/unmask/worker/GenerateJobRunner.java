package dev.unmask.worker;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.unmask.diffusion.run.GeneratedText;
import dev.unmask.diffusion.run.PromptGenerator;
import dev.unmask.diffusion.sample.Frame;
import dev.unmask.diffusion.sample.GenerationConfig;
import dev.unmask.shared.artifact.ArtifactStore;
import dev.unmask.shared.json.JsonCodec;
import dev.unmask.shared.log.JobLog;
import dev.unmask.shared.spec.GenerateJobSpec;
import dev.unmask.shared.spec.ModelRef;
import dev.unmask.shared.store.Model;
import dev.unmask.shared.store.ModelStore;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs generate jobs. Jobs that share a model and the sampling settings run together: all
 * their texts are rows of one canvas tensor, denoised in the same forward passes (a GPT-2 model's
 * rows: one KV-cached batch, a token per step). Each row's frames (a GPT-2 row's: one per new
 * token) are reported to its own job; a cancelled job's rows stop being reported at once (the
 * batch stops when every job in it has stopped). When the texts are written, each job gets a
 * {@code progress} event with its tokens and the canvas's tokens per second. A batch's log lines
 * carry the ids of all its jobs ({@code job_id}, comma-separated).
 */
@SuppressWarnings("try") // JobLog scopes: opened for their effect on the MDC
final class GenerateJobRunner {
    /** What must be equal for jobs to share a canvas: the model and the whole generation config. */
    private record BatchKey(ModelRef model, GenerationConfig config) {
        static BatchKey of(GenerateJobSpec s) {
            return new BatchKey(s.model(), GenerationConfig.from(s.params()));
        }
    }

    /** One canvas row: which job and which of its n texts. */
    private record Row(RunningJob job, int index) {}

    private static final Logger LOG = LoggerFactory.getLogger(GenerateJobRunner.class);

    private final ModelStore models;
    private final ModelCache cache;
    private final WorkerMetrics metrics;
    private final HubModels hub;

    GenerateJobRunner(ModelStore models, ModelCache cache, WorkerMetrics metrics, HubModels hub) {
        this.hub = hub;
        this.models = models;
        this.cache = cache;
        this.metrics = metrics;
    }

    /** Groups the jobs into batches; calls {@code outcome} for every job once its batch ends. */
    void run(List<RunningJob> jobs, Outcomes outcome) {
        Map<BatchKey, List<RunningJob>> batches = new LinkedHashMap<>();
        Map<RunningJob, GenerateJobSpec> specs = new LinkedHashMap<>();
        for (RunningJob job : jobs) {
            try {
                GenerateJobSpec spec = GenerateJobSpec.fromJson(job.job().spec());
                specs.put(job, spec);
                batches.computeIfAbsent(BatchKey.of(spec), k -> new ArrayList<>()).add(job);
            } catch (RuntimeException e) {
                outcome.failed(job, e);
            }
        }
        for (List<RunningJob> batch : batches.values()) {
            runOrSplit(batch, specs, outcome);
        }
    }

    /**
     * Runs a batch; when it fails on something that will not pass (one job's prompt plus
     * {@code max_tokens} beyond the model's positions, say), each of its jobs runs again alone, so
     * the bad one fails by itself and the rest of its canvas is written.
     */
    private void runOrSplit(List<RunningJob> batch, Map<RunningJob, GenerateJobSpec> specs, Outcomes outcome) {
        Map<RunningJob, ObjectNode> results;
        try (JobLog log = JobLog.of(batch.stream().map(j -> j.job().id()).toList())) {
            try {
                results = runBatch(batch, specs);
            } catch (Exception | OutOfMemoryError e) {
                if (batch.size() > 1 && !Failures.classify(e).retryable()) {
                    LOG.info("a canvas of {} jobs failed ({}); running each alone", batch.size(), e.getMessage());
                    batch.forEach(job -> runOrSplit(List.of(job), specs, outcome));
                } else {
                    batch.forEach(job -> outcome.failed(job, e));
                }
                return;
            }
        }
        batch.forEach(job -> outcome.finished(job, results.get(job)));
    }

    /** How each job of a batch ended. */
    interface Outcomes {
        /** Ran to the end (result) or stopped early (result ignored; the job's flags say why). */
        void finished(RunningJob job, ObjectNode result);

        void failed(RunningJob job, Throwable error);
    }

    private Map<RunningJob, ObjectNode> runBatch(List<RunningJob> batch, Map<RunningJob, GenerateJobSpec> specs)
            throws IOException {
        GenerateJobSpec first = specs.get(batch.get(0));
        PromptGenerator generator = cache.get(modelFolder(first.model(), batch));
        GenerationConfig config = BatchKey.of(first).config();

        List<Row> rows = new ArrayList<>();
        List<String> prompts = new ArrayList<>();
        List<Long> seeds = new ArrayList<>();
        List<Integer> lengths = new ArrayList<>();
        for (RunningJob job : batch) {
            GenerateJobSpec s = specs.get(job);
            for (int i = 0; i < s.n(); i++) {
                rows.add(new Row(job, i));
                prompts.add(s.prompt());
                seeds.add(s.seed() + i);
                lengths.add(s.maxTokens());
            }
        }
        int[] maxTokens = lengths.stream().mapToInt(Integer::intValue).toArray();
        long[] seedArray = seeds.stream().mapToLong(Long::longValue).toArray();
        long started = System.nanoTime();
        StepFrames frames = new StepFrames();
        List<GeneratedText> texts;
        try {
            texts = generator.generate(prompts, seedArray, maxTokens, config,
                    frame -> frames.add(frame.step(), onFrame(generator, rows.get(frame.row()), frame,
                            generator.frames(config, maxTokens[frame.row()]))),
                    () -> batch.stream().allMatch(RunningJob::shouldStop));
        } finally {
            frames.flush();
        }

        Map<RunningJob, ObjectNode> results = new LinkedHashMap<>();
        for (int r = 0; r < rows.size(); r++) {
            Row row = rows.get(r);
            ObjectNode result = results.computeIfAbsent(row.job(), j -> newResult(specs.get(j), batch.size(), rows.size()));
            GeneratedText t = texts.get(r);
            ((ArrayNode) result.get("texts")).add(t.text());
            ((ArrayNode) result.get("full_texts")).add(t.fullText());
            result.put("steps_taken", Math.max(result.path("steps_taken").asInt(), t.steps()));
            result.put("tokens", result.path("tokens").asInt() + t.tokens());
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        long canvasTokens = texts.stream().mapToLong(GeneratedText::tokens).sum();
        metrics.generatedTokens(canvasTokens);
        results.forEach((job, result) -> {
            if (!job.shouldStop()) {
                ObjectNode data = JsonCodec.MAPPER.createObjectNode();
                data.put("tokens", result.path("tokens").asLong());
                data.put("seconds", seconds);
                data.put("tokens_per_second", seconds > 0 ? canvasTokens / seconds : 0);
                data.put("canvas_rows", rows.size());
                job.event("progress", data);
            }
        });
        return results;
    }

    /** A model row's folder, or a Hub id's snapshot (its download logged to every job of the batch). */
    private Path modelFolder(ModelRef ref, List<RunningJob> batch) {
        java.util.function.Consumer<String> log = message -> {
            ObjectNode data = JsonCodec.MAPPER.createObjectNode();
            data.put("message", message);
            batch.forEach(job -> job.event("log", data));
        };
        if (ref.isHub()) {
            return hub.folder(ref.hub(), log);
        }
        Model model = models.find(ref.id())
                .orElseThrow(() -> JobFailure.permanent("unknown_model", "model " + ref.id() + " does not exist"));
        return ModelRef.hubIdOfUri(model.uri()).map(id -> hub.folder(id, log))
                .orElseGet(() -> ArtifactStore.path(model.uri()));
    }

    private static ObjectNode newResult(GenerateJobSpec spec, int batchJobs, int batchRows) {
        ObjectNode result = JsonCodec.MAPPER.createObjectNode();
        result.putArray("texts");
        result.putArray("full_texts");
        result.put("steps_taken", 0);
        result.put("tokens", 0);
        result.put("seed", spec.seed());
        result.put("batched_with_jobs", batchJobs - 1);
        result.put("canvas_rows", batchRows);
        return result;
    }

    /** A row's frame as its job reports it, or null when the job has stopped. */
    private static RunningJob.Pending onFrame(PromptGenerator generator, Row row, Frame frame, int steps) {
        if (row.job().shouldStop()) {
            return null;
        }
        ObjectNode data = JsonCodec.MAPPER.createObjectNode();
        data.put("index", row.index());
        data.put("step", frame.step());
        int total = Math.max(steps, frame.step());
        data.put("total", total);
        data.put("masked", frame.masked());
        data.put("canvas", generator.renderFrame(frame));
        ArrayNode changed = data.putArray("changed");
        Arrays.stream(frame.changed()).forEach(changed::add);
        return new RunningJob.Pending(row.job(), frame.step(), total, "frame", data);
    }

    /**
     * The frames of one denoising step, every row of the canvas, written in one transaction when
     * the next step begins (and at the end): the database sees one write per step, not one per row.
     */
    private static final class StepFrames {
        private final List<RunningJob.Pending> pending = new ArrayList<>();
        private int step = Integer.MIN_VALUE;

        void add(int frameStep, RunningJob.Pending frame) {
            if (frameStep != step) {
                flush();
                step = frameStep;
            }
            if (frame != null) {
                pending.add(frame);
            }
        }

        void flush() {
            if (!pending.isEmpty()) {
                RunningJob.reportTogether(List.copyOf(pending));
                pending.clear();
            }
        }
    }

    static boolean sameBatch(GenerateJobSpec a, GenerateJobSpec b) {
        return Objects.equals(BatchKey.of(a), BatchKey.of(b));
    }
}

package dev.unmask.worker;

import ai.djl.Device;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.unmask.diffusion.hub.HubId;
import dev.unmask.diffusion.run.ModelSource;
import dev.unmask.diffusion.run.TrainRunResult;
import dev.unmask.diffusion.run.TrainSpec;
import dev.unmask.diffusion.run.TrainingRun;
import dev.unmask.diffusion.train.TrainConfig;
import dev.unmask.diffusion.train.TrainingListener;
import dev.unmask.diffusion.train.TrainingProgress;
import dev.unmask.jobspec.ParamValues;
import dev.unmask.jobspec.TrainParams;
import dev.unmask.shared.artifact.ArtifactStore;
import dev.unmask.shared.json.JsonCodec;
import dev.unmask.shared.spec.ModelRef;
import dev.unmask.shared.spec.TrainJobSpec;
import dev.unmask.shared.store.Checkpoint;
import dev.unmask.shared.store.CheckpointStore;
import dev.unmask.shared.store.Dataset;
import dev.unmask.shared.store.DatasetStore;
import dev.unmask.shared.store.Model;
import dev.unmask.shared.store.ModelStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a train job with the engine: the output folder is the job's folder in the shared artifact
 * store, so an attempt on another worker resumes from the newest checkpoint there. Every step is
 * reported (progress + a {@code progress} event), every checkpoint recorded, and the produced
 * model registered (its id derived from the job's, so a repeated attempt cannot register two).
 */
final class TrainJobRunner {
    private static final Logger LOG = LoggerFactory.getLogger(TrainJobRunner.class);

    private final DatasetStore datasets;
    private final ModelStore models;
    private final CheckpointStore checkpoints;
    private final ArtifactStore artifacts;
    private final Device device;
    private final HubModels hub;

    TrainJobRunner(DatasetStore datasets, ModelStore models, CheckpointStore checkpoints, ArtifactStore artifacts,
            Device device, HubModels hub) {
        this.hub = hub;
        this.datasets = datasets;
        this.models = models;
        this.checkpoints = checkpoints;
        this.artifacts = artifacts;
        this.device = device;
    }

    /** The id of the model a train job produces. */
    static UUID producedModelId(UUID jobId) {
        return UUID.nameUUIDFromBytes(("unmask-model:" + jobId).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    ObjectNode run(RunningJob running) throws IOException {
        UUID jobId = running.job().id();
        TrainJobSpec spec = TrainJobSpec.fromJson(running.job().spec());
        Dataset dataset = datasets.find(spec.dataset())
                .orElseThrow(() -> JobFailure.permanent("unknown_dataset", "dataset " + spec.dataset() + " does not exist"));
        Path corpus = ArtifactStore.path(dataset.uri());
        if (!Files.isRegularFile(corpus)) {
            throw JobFailure.permanent("dataset_missing", "the file of dataset " + dataset.id() + " is gone from the artifact store");
        }
        ModelSource source;
        String baseName;
        if (spec.model().isPreset()) {
            source = ModelSource.parse(spec.model().toString());
            baseName = spec.model().preset();
        } else if (spec.model().isHub()) {
            source = new ModelSource(null, hub.folder(spec.model().hub(), msg -> log(running, msg)));
            baseName = HubId.parse(spec.model().hub()).repo().replaceAll(".*/", "");
        } else {
            Model base = models.find(spec.model().id())
                    .orElseThrow(() -> JobFailure.permanent("unknown_model", "model " + spec.model().id() + " does not exist"));
            source = new ModelSource(null, ModelRef.hubIdOfUri(base.uri())
                    .map(id -> hub.folder(id, msg -> log(running, msg))).orElseGet(() -> ArtifactStore.path(base.uri())));
            baseName = base.name();
        }
        Path out = artifacts.jobOutput(jobId);
        ParamValues h = spec.hyperparameters();
        TrainConfig config = TrainConfig.from(h, false);
        DatasetCorpus read = DatasetCorpus.of(dataset.format(), corpus);
        TrainSpec trainSpec = new TrainSpec(source, List.of(corpus), read.format(), out, null,
                h.getInt(TrainParams.VOCAB_SIZE), h.getInt(TrainParams.SEQ_LEN), read.packing(),
                h.getDouble(TrainParams.HELD_OUT), config, device, h.getInt(TrainParams.EVAL_SAMPLES));

        TrainingListener listener = new TrainingListener() {
            @Override
            public void progress(TrainingProgress p) {
                ObjectNode data = JsonCodec.MAPPER.createObjectNode();
                data.put("step", p.step());
                data.put("total", p.totalSteps());
                data.put("loss", p.loss());
                data.put("lr", p.lr());
                data.put("grad_norm", p.gradNorm());
                data.put("tokens_per_second", p.tokensPerSecond());
                data.put("eta_seconds", p.etaSeconds());
                data.put("elapsed_seconds", p.elapsedSeconds());
                running.report(p.step(), p.totalSteps(), "progress", data);
            }

            @Override
            public void checkpoint(int step, Path dir, double loss) {
                ObjectNode metrics = JsonCodec.MAPPER.createObjectNode();
                metrics.put("loss", loss);
                Checkpoint c = checkpoints.record(jobId, step, dir.toString(), metrics);
                ObjectNode data = JsonCodec.MAPPER.createObjectNode();
                data.put("step", c.step());
                data.put("artifact", artifacts.reference(c.uri()));
                data.set("metrics", metrics);
                running.event("checkpoint", data);
            }
        };
        TrainRunResult r = TrainingRun.run(trainSpec, msg -> log(running, msg), listener, running::shouldStop);

        String name = spec.outputName() != null ? spec.outputName() : dataset.name() + "-" + baseName;
        Model produced = models.insertIfAbsent(producedModelId(jobId), running.job().owner(), name, "trained",
                r.training().outputDir().toString(), jobId);
        ObjectNode result = JsonCodec.MAPPER.createObjectNode();
        result.put("model", produced.id().toString());
        result.put("model_name", produced.name());
        result.put("final_loss", r.training().finalLoss());
        result.put("steps", r.training().steps());
        result.put("resumed_from_step", r.resumedFromStep());
        result.put("tokens_per_second", r.training().tokensPerSecond());
        result.put("seconds", r.training().seconds());
        ArrayNode saved = result.putArray("checkpoints");
        for (Checkpoint c : checkpoints.list(jobId)) {
            ObjectNode item = saved.addObject();
            item.put("step", c.step());
            item.put("artifact", artifacts.reference(c.uri()));
        }
        result.set("eval", r.eval() == null ? null : JsonCodec.MAPPER.valueToTree(r.eval()));
        return result;
    }

    private static void log(RunningJob running, String message) {
        LOG.info("job {}: {}", running.job().id(), message);
        ObjectNode data = JsonCodec.MAPPER.createObjectNode();
        data.put("message", message);
        running.event("log", data);
    }
}

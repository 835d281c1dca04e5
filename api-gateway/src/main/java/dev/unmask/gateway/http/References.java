package dev.unmask.gateway.http;

import dev.unmask.shared.spec.JobRequest;
import dev.unmask.shared.spec.ModelRef;
import dev.unmask.shared.spec.Validation;
import dev.unmask.shared.store.DatasetStore;
import dev.unmask.shared.store.ModelStore;
import java.util.UUID;

/** Checks that the dataset and model a job names exist and belong to the caller's key (blocking). */
final class References {
    private final DatasetStore datasets;
    private final ModelStore models;

    References(DatasetStore datasets, ModelStore models) {
        this.datasets = datasets;
        this.models = models;
    }

    /** @throws dev.unmask.shared.spec.ValidationException with {@code unknown_dataset} / {@code unknown_model} */
    void check(UUID owner, JobRequest request) {
        Validation v = new Validation();
        switch (request.type()) {
            case TRAIN -> {
                UUID dataset = request.train().dataset();
                if (datasets.findOwned(dataset, owner).isEmpty()) {
                    v.add("dataset", "unknown_dataset", "no dataset " + dataset + " for this key");
                }
                ModelRef model = request.train().model();
                if (!model.isPreset() && models.findOwned(model.id(), owner).isEmpty()) {
                    v.add("model", "unknown_model", "no model " + model.id() + " for this key");
                }
            }
            case GENERATE -> {
                UUID model = request.generate().model();
                if (models.findOwned(model, owner).isEmpty()) {
                    v.add("model", "unknown_model", "no model " + model + " for this key");
                }
            }
        }
        v.throwIfAny();
    }

    /** The progress total a job starts with: training steps, or denoising steps times texts. */
    static long progressTotal(JobRequest request) {
        return switch (request.type()) {
            case TRAIN -> request.train().steps();
            case GENERATE -> (long) request.generate().steps() * request.generate().n();
        };
    }
}

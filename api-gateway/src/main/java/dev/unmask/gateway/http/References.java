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
                checkModel(request.train().model(), owner, v);
            }
            case GENERATE -> checkModel(request.generate().model(), owner, v);
        }
        v.throwIfAny();
    }

    /** A model row must be the key's own; a preset is built in, a Hub id is the worker's to resolve. */
    private void checkModel(ModelRef model, UUID owner, Validation v) {
        if (model.id() != null && models.findOwned(model.id(), owner).isEmpty()) {
            v.add("model", "unknown_model", "no model " + model.id() + " for this key");
        }
    }

    /** The progress total a job starts with: training steps, or denoising steps times texts. */
    static long progressTotal(JobRequest request) {
        return switch (request.type()) {
            case TRAIN -> request.train().steps();
            case GENERATE -> (long) request.generate().steps() * request.generate().n();
        };
    }
}

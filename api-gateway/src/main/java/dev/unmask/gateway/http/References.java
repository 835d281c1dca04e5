package dev.unmask.gateway.http;

import dev.unmask.gateway.model.ModelPositions;
import dev.unmask.shared.spec.GenerateJobSpec;
import dev.unmask.shared.spec.JobRequest;
import dev.unmask.shared.spec.ModelRef;
import dev.unmask.shared.spec.Validation;
import dev.unmask.shared.store.DatasetStore;
import dev.unmask.shared.store.Model;
import dev.unmask.shared.store.ModelStore;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Checks that the dataset and model a job names exist and belong to the caller's key, and that a
 * generate job fits its model's positions (blocking).
 */
final class References {
    private final DatasetStore datasets;
    private final ModelStore models;
    private final ModelPositions positions = new ModelPositions();
    /**
     * Datasets found for their owner. A dataset is never deleted or given to another key, so a
     * dataset once found stays valid: a repeated train submit on it spends no lookup.
     */
    private final Set<OwnedDataset> known = ConcurrentHashMap.newKeySet();
    private static final int MAX_KNOWN = 10_000;

    private record OwnedDataset(UUID owner, UUID dataset) {}

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
                if (!datasetOwned(owner, dataset)) {
                    v.add("dataset", "unknown_dataset", "no dataset " + dataset + " for this key");
                }
                checkModel(request.train().model(), owner, v);
            }
            case GENERATE -> {
                GenerateJobSpec spec = request.generate();
                checkModel(spec.model(), owner, v).filter(m -> !m.uri().startsWith("hf://"))
                        .ifPresent(m -> checkLength(v, spec, positions.capacity(Path.of(m.uri()))));
            }
        }
        v.throwIfAny();
    }

    private boolean datasetOwned(UUID owner, UUID dataset) {
        OwnedDataset key = new OwnedDataset(owner, dataset);
        if (known.contains(key)) {
            return true;
        }
        if (datasets.findOwned(dataset, owner).isEmpty()) {
            return false;
        }
        if (known.size() >= MAX_KNOWN) {
            known.clear();
        }
        known.add(key);
        return true;
    }

    /**
     * A prompt plus {@code max_tokens} beyond the model's positions could never run; refused here
     * with the limit when the model's config is known (a prompt counts at least one token; the
     * worker checks the exact count, and a job that does not fit fails alone). An infilling
     * template ({@code <mask>} in the prompt) writes into itself, so {@code max_tokens} does not apply.
     */
    private static void checkLength(Validation v, GenerateJobSpec spec, OptionalInt capacity) {
        if (capacity.isEmpty() || spec.prompt().contains("<mask>") || spec.prompt().contains("[MASK]")) {
            return;
        }
        int promptTokens = spec.prompt().isBlank() ? 0 : 1;
        if (spec.maxTokens() + promptTokens > capacity.getAsInt()) {
            v.add("max_tokens", "too_long", "the model holds " + capacity.getAsInt() + " tokens of prompt and text; "
                    + "max_tokens " + spec.maxTokens() + " plus the prompt's tokens must fit (at most "
                    + (capacity.getAsInt() - promptTokens) + " here)");
        }
    }

    /** A model row must be the key's own (returned); a preset is built in, a Hub id is the worker's to resolve. */
    private Optional<Model> checkModel(ModelRef model, UUID owner, Validation v) {
        if (model.id() == null) {
            return Optional.empty();
        }
        Optional<Model> row = models.findOwned(model.id(), owner);
        if (row.isEmpty()) {
            v.add("model", "unknown_model", "no model " + model.id() + " for this key");
        }
        return row;
    }

    /** The progress total a job starts with: training steps, or denoising steps times texts. */
    static long progressTotal(JobRequest request) {
        return switch (request.type()) {
            case TRAIN -> request.train().steps();
            case GENERATE -> (long) request.generate().steps() * request.generate().n();
        };
    }
}

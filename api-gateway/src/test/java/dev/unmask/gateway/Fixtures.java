package dev.unmask.gateway;

import dev.unmask.shared.store.DatasetStore;
import dev.unmask.shared.store.ModelStore;
import java.util.UUID;

/** Rows a test needs behind a job: a dataset and a model of a key, written straight to the stores. */
public final class Fixtures {
    private Fixtures() {}

    public static UUID dataset(TestEnv env, TestEnv.Key key) {
        UUID id = UUID.randomUUID();
        new DatasetStore(env.db).insert(id, key.owner(), "corpus", "text", 12, 2, env.artifacts.resolve(id + ".txt").toString());
        return id;
    }

    public static UUID model(TestEnv env, TestEnv.Key key) {
        return new ModelStore(env.db).insert(key.owner(), "model", "trained", env.modelRoot.toString(), null).id();
    }

    public static String train(UUID dataset, int steps) {
        return "{\"type\":\"train\",\"model\":\"preset:tiny\",\"dataset\":\"" + dataset
                + "\",\"hyperparameters\":{\"steps\":" + steps + "}}";
    }

    public static String generate(UUID model, String prompt) {
        return "{\"type\":\"generate\",\"model\":\"" + model + "\",\"prompt\":\"" + prompt + "\",\"steps\":4,\"n\":2}";
    }
}

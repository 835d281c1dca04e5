package dev.unmask.diffusion.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.unmask.diffusion.model.GradMode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * AdamW as PyTorch computes it (decoupled weight decay), on the parameters' gradients, in place.
 * Moments are float32 and live in the optimizer's own manager. Parameters outside {@code decayed}
 * (biases, LayerNorm) get no weight decay.
 */
public final class AdamW implements AutoCloseable {
    public static final String EXP_AVG = "exp_avg.";
    public static final String EXP_AVG_SQ = "exp_avg_sq.";

    private final Map<String, NDArray> params;
    private final Set<String> decayed;
    private final double beta1;
    private final double beta2;
    private final double eps;
    private final double weightDecay;
    private final NDManager manager;
    private final Map<String, NDArray> m = new LinkedHashMap<>();
    private final Map<String, NDArray> v = new LinkedHashMap<>();
    private int steps;

    public AdamW(Map<String, NDArray> params, Set<String> decayed, double beta1, double beta2, double eps,
            double weightDecay, NDManager parent) {
        this.params = params;
        this.decayed = decayed;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.weightDecay = weightDecay;
        this.manager = parent.newSubManager();
        for (Map.Entry<String, NDArray> p : params.entrySet()) {
            m.put(p.getKey(), manager.zeros(p.getValue().getShape(), DataType.FLOAT32, p.getValue().getDevice()));
            v.put(p.getKey(), manager.zeros(p.getValue().getShape(), DataType.FLOAT32, p.getValue().getDevice()));
        }
    }

    /** Updates done so far (the bias-correction step count). */
    public int steps() {
        return steps;
    }

    /**
     * One update with learning rate {@code lr}.
     *
     * @param gradients by parameter name, float32 (or any float type, converted), already unscaled
     *     and clipped; the caller owns them
     */
    public void step(double lr, Map<String, NDArray> gradients) {
        steps++;
        double bc1 = 1 - Math.pow(beta1, steps);
        double bc2 = 1 - Math.pow(beta2, steps);
        GradMode.disabled(() -> {
            for (Map.Entry<String, NDArray> e : params.entrySet()) {
                String name = e.getKey();
                NDArray p = e.getValue();
                NDArray g = gradients.get(name);
                if (g == null) {
                    throw new IllegalArgumentException("no gradient for " + name);
                }
                try (NDManager scope = manager.newSubManager()) {
                    NDArray mi = m.get(name); // (shape of p)
                    NDArray vi = v.get(name); // (shape of p)
                    // temporaries of ops on these land in scope and are freed each parameter
                    mi.tempAttach(scope);
                    vi.tempAttach(scope);
                    g.tempAttach(scope);
                    NDArray grad = g.toType(DataType.FLOAT32, false);
                    mi.muli((float) beta1).addi(grad.mul((float) (1 - beta1)));
                    vi.muli((float) beta2).addi(grad.square().muli((float) (1 - beta2)));
                    NDArray denom = vi.sqrt().divi((float) Math.sqrt(bc2)).addi((float) eps);
                    NDArray update = mi.div(denom).muli((float) (lr / bc1));
                    if (weightDecay > 0 && decayed.contains(name)) {
                        p.muli((float) (1 - lr * weightDecay));
                    }
                    p.subi(update.toType(p.getDataType(), false));
                }
            }
        });
    }

    /** The moments by name ({@code exp_avg.NAME}, {@code exp_avg_sq.NAME}), for a checkpoint. */
    public Map<String, NDArray> state() {
        Map<String, NDArray> state = new LinkedHashMap<>();
        m.forEach((k, a) -> state.put(EXP_AVG + k, a));
        v.forEach((k, a) -> state.put(EXP_AVG_SQ + k, a));
        return state;
    }

    /** Restores moments and step count saved by {@link #state()}. */
    public void load(Map<String, NDArray> state, int savedSteps) {
        for (Map.Entry<String, NDArray> e : state.entrySet()) {
            String key = e.getKey();
            Map<String, NDArray> target = key.startsWith(EXP_AVG_SQ) ? v : key.startsWith(EXP_AVG) ? m : null;
            String name = key.startsWith(EXP_AVG_SQ) ? key.substring(EXP_AVG_SQ.length())
                    : key.startsWith(EXP_AVG) ? key.substring(EXP_AVG.length()) : key;
            if (target == null || !target.containsKey(name)) {
                throw new IllegalArgumentException("optimizer state has " + key + ", which no parameter matches");
            }
            NDArray current = target.get(name);
            if (!current.getShape().equals(e.getValue().getShape())) {
                throw new IllegalArgumentException("optimizer state " + key + " has shape " + e.getValue().getShape()
                        + ", expected " + current.getShape());
            }
            GradMode.disabled(() -> current.set(e.getValue().toDevice(current.getDevice(), false)
                    .toType(DataType.FLOAT32, false).toByteBuffer()));
        }
        this.steps = savedSteps;
    }

    @Override
    public void close() {
        manager.close();
    }
}

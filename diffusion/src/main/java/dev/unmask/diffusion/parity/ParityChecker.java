package dev.unmask.diffusion.parity;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.GradientCollector;
import dev.unmask.diffusion.checkpoint.Gpt2CheckpointReader;
import dev.unmask.diffusion.checkpoint.HfCheckpointReader;
import dev.unmask.diffusion.checkpoint.SafetensorsReader;
import dev.unmask.diffusion.model.EncoderOutput;
import dev.unmask.diffusion.model.Gpt2Model;
import dev.unmask.diffusion.model.MaskedLanguageModel;
import dev.unmask.diffusion.model.MaskedLmLoss;
import dev.unmask.diffusion.model.ModelFamily;
import dev.unmask.diffusion.parity.ParityReport.Tolerances;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * Runs a checkpoint on the inputs of a parity file (written by {@code make_hf_parity.py} or
 * {@code make_gpt2_parity.py}) and compares with the reference outputs: logits, last hidden state,
 * the family's training loss (masked-LM for encoders, next-token for GPT-2), every parameter's
 * gradient norm and greedy decodings. Works for any checkpoint shape; checks the keys the file has.
 */
public final class ParityChecker {
    public static final String GRAD_NORM_PREFIX = "grad_norm.";
    /** Gradient norms below this fraction of the largest are zero up to rounding. */
    static final double ZERO_GRAD_FLOOR = 1e-6;

    private final Tolerances tolerances;

    public ParityChecker(Tolerances tolerances) {
        this.tolerances = tolerances;
    }

    public ParityReport check(Path modelDir, Path parityFile, Device device) throws IOException {
        try (NDManager manager = NDManager.newBaseManager(device)) {
            if (HfCheckpointReader.family(modelDir) == ModelFamily.CAUSAL_LM) {
                try (Gpt2Model model = Gpt2CheckpointReader.load(modelDir, manager, device, DataType.FLOAT32)) {
                    return check(model, modelDir.toString(), parityFile, manager);
                }
            }
            try (MaskedLanguageModel model = HfCheckpointReader.load(modelDir, manager, device, DataType.FLOAT32)) {
                return check(model, modelDir.toString(), parityFile, manager);
            }
        }
    }

    /** Compares an already loaded encoder (float32) with a parity file. */
    public ParityReport check(MaskedLanguageModel model, String modelName, Path parityFile, NDManager parent)
            throws IOException {
        return check(new EncoderSubject(model, modelName), modelName, parityFile, parent);
    }

    /** Compares an already loaded GPT-2 decoder (float32) with a parity file. */
    public ParityReport check(Gpt2Model model, String modelName, Path parityFile, NDManager parent)
            throws IOException {
        return check(new Gpt2Subject(model), modelName, parityFile, parent);
    }

    private ParityReport check(ParitySubject subject, String modelName, Path parityFile, NDManager parent)
            throws IOException {
        try (NDManager manager = parent.newSubManager();
                SafetensorsReader reader = SafetensorsReader.open(parityFile)) {
            Map<String, NDArray> ref = new TreeMap<>();
            for (String key : reader.entries().keySet()) {
                ref.put(key, reader.read(key, manager).toDevice(subject.model().device(), false));
            }
            if (!ref.containsKey("input_ids")) {
                throw new IOException(parityFile + " has no input_ids: not a parity file");
            }
            List<String> checked = new ArrayList<>();
            List<String> failures = new ArrayList<>();
            Double logitDiff = null;
            Double hiddenDiff = null;
            try (EncoderOutput out = subject.forward(ref)) {
                if (ref.containsKey("logits")) {
                    logitDiff = maxAbsDiff(out.logits(), ref.get("logits"), "logits");
                    checked.add("logits");
                    if (logitDiff > tolerances.logitsAbs()) {
                        failures.add("max_abs_logit_diff " + logitDiff + " > " + tolerances.logitsAbs());
                    }
                }
                if (ref.containsKey("last_hidden")) {
                    hiddenDiff = maxAbsDiff(out.hidden(), ref.get("last_hidden"), "last_hidden");
                    checked.add("last_hidden");
                    if (hiddenDiff > tolerances.hiddenAbs()) {
                        failures.add("max_abs_hidden_diff " + hiddenDiff + " > " + tolerances.hiddenAbs());
                    }
                }
            }
            Double loss = null;
            Double lossDiff = null;
            Double gradDiff = null;
            String worstParam = null;
            if (ref.containsKey("labels")) {
                Gradients grads = lossAndGradients(subject.model().parameters(), ref.get("input_ids"),
                        () -> subject.loss(ref));
                loss = grads.loss();
                if (ref.containsKey("loss")) {
                    double expected = ref.get("loss").toType(DataType.FLOAT64, false).getDouble(0);
                    lossDiff = Math.abs(loss - expected) / Math.abs(expected);
                    checked.add("loss");
                    if (lossDiff > tolerances.lossRel()) {
                        failures.add("loss_rel_diff " + lossDiff + " > " + tolerances.lossRel());
                    }
                }
                Map<String, Double> expectedNorms = new TreeMap<>();
                for (Map.Entry<String, NDArray> e : ref.entrySet()) {
                    if (e.getKey().startsWith(GRAD_NORM_PREFIX)) {
                        expectedNorms.put(e.getKey().substring(GRAD_NORM_PREFIX.length()),
                                e.getValue().toType(DataType.FLOAT64, false).getDouble(0));
                    }
                }
                // Some gradients are exactly zero in exact arithmetic (the attention key bias:
                // softmax ignores a per-row constant); fp32 leaves noise ~1e-11 there, whose
                // relative difference means nothing. Below this floor both sides must be ~0.
                double floor = ZERO_GRAD_FLOOR * expectedNorms.values().stream()
                        .mapToDouble(Math::abs).max().orElse(0);
                for (Map.Entry<String, Double> e : expectedNorms.entrySet()) {
                    String param = e.getKey();
                    Double actual = grads.norms().get(subject.parameterName(param));
                    checked.add(GRAD_NORM_PREFIX + param);
                    if (actual == null) {
                        failures.add("parity file has " + GRAD_NORM_PREFIX + param
                                + " but the model has no parameter " + param);
                        continue;
                    }
                    double expected = e.getValue();
                    if (Math.abs(expected) <= floor) {
                        if (Math.abs(actual) > floor) {
                            failures.add("gradient norm of " + param + " is " + actual
                                    + "; transformers has " + expected + " (zero up to rounding)");
                        }
                        continue;
                    }
                    double rel = Math.abs(actual - expected) / Math.abs(expected);
                    if (gradDiff == null || rel > gradDiff) {
                        gradDiff = rel;
                        worstParam = param;
                    }
                }
                if (gradDiff != null && gradDiff > tolerances.gradNormRel()) {
                    failures.add("max_grad_norm_rel_diff " + gradDiff + " > " + tolerances.gradNormRel()
                            + " (" + worstParam + ")");
                }
            }
            subject.checkDecodes(ref, checked, failures, parent);
            List<String> notChecked = new ArrayList<>();
            for (String key : ref.keySet()) {
                if (!checked.contains(key) && !subject.inputs().contains(key)) {
                    notChecked.add(key);
                }
            }
            if (checked.isEmpty()) {
                failures.add("the parity file has no reference output to compare");
            }
            return new ParityReport(modelName, parityFile.toString(), logitDiff, hiddenDiff, loss, lossDiff,
                    gradDiff, worstParam, checked, notChecked, tolerances, failures, failures.isEmpty());
        }
    }

    /** The masked-LM loss and the L2 norm of its gradient for every parameter (HF names). */
    public record Gradients(double loss, Map<String, Double> norms) {}

    /** One backward pass of the masked-LM loss; parameters stop requiring gradients afterwards. */
    public static Gradients lossAndGradients(MaskedLanguageModel model, NDArray ids, NDArray mask,
            NDArray tokenTypes, NDArray labels) {
        return lossAndGradients(model.parameters(), ids,
                () -> MaskedLmLoss.crossEntropy(model.forward(ids, mask, tokenTypes).logits(), labels));
    }

    /**
     * One backward pass of any model's loss and the L2 norm of every parameter's gradient;
     * parameters stop requiring gradients afterwards.
     *
     * @param inputs the model's input ids: what the forward pass leaves in their manager is freed on return
     * @param loss computes the loss from {@code inputs}
     */
    public static Gradients lossAndGradients(Map<String, NDArray> params, NDArray inputs, Supplier<NDArray> loss) {
        params.values().forEach(p -> p.setRequiresGradient(true));
        try (NDManager scope = inputs.getManager().newSubManager()) {
            inputs.tempAttach(scope);
            double value;
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray lossArray = loss.get();
                collector.backward(lossArray);
                value = lossArray.toType(DataType.FLOAT64, false).getDouble();
            }
            Map<String, Double> norms = new TreeMap<>();
            for (Map.Entry<String, NDArray> p : params.entrySet()) {
                try (NDArray grad = p.getValue().getGradient();
                        NDArray norm = grad.toType(DataType.FLOAT64, false).norm()) {
                    norms.put(p.getKey(), norm.getDouble());
                }
            }
            return new Gradients(value, norms);
        } finally {
            params.values().forEach(p -> p.setRequiresGradient(false));
        }
    }

    private static double maxAbsDiff(NDArray actual, NDArray expected, String key) {
        if (!actual.getShape().equals(expected.getShape())) {
            throw new IllegalArgumentException(key + ": model gives shape " + actual.getShape()
                    + ", the parity file has " + expected.getShape());
        }
        try (NDArray diff = actual.toType(DataType.FLOAT64, false)
                .sub(expected.toType(DataType.FLOAT64, false)).abs().max()) {
            return diff.getDouble();
        }
    }
}

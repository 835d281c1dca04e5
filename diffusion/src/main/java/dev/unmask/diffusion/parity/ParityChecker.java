package dev.unmask.diffusion.parity;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.GradientCollector;
import dev.unmask.diffusion.checkpoint.HfCheckpointReader;
import dev.unmask.diffusion.checkpoint.SafetensorsReader;
import dev.unmask.diffusion.model.EncoderOutput;
import dev.unmask.diffusion.model.MaskedLanguageModel;
import dev.unmask.diffusion.model.MaskedLmLoss;
import dev.unmask.diffusion.parity.ParityReport.Tolerances;
import java.io.IOException;
import java.nio.file.Path;
import dev.unmask.diffusion.sample.CanvasRow;
import dev.unmask.diffusion.sample.FrameListener;
import dev.unmask.diffusion.sample.Generator;
import dev.unmask.diffusion.sample.ModelDenoiser;
import dev.unmask.diffusion.tokenizer.SpecialTokens;
import dev.unmask.diffusion.tokenizer.TextTokenizer;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Runs a checkpoint on the inputs of a parity file (written by {@code make_hf_parity.py}) and
 * compares with the outputs {@code transformers} computed: logits, last hidden state, masked-LM
 * loss and every parameter's gradient norm. Works for any checkpoint shape; checks the keys the
 * file has.
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
        try (NDManager manager = NDManager.newBaseManager(device);
                MaskedLanguageModel model = HfCheckpointReader.load(modelDir, manager, device, DataType.FLOAT32)) {
            return check(model, modelDir.toString(), parityFile, manager);
        }
    }

    /** Compares an already loaded model (float32) with a parity file. */
    public ParityReport check(MaskedLanguageModel model, String modelName, Path parityFile, NDManager parent)
            throws IOException {
        try (NDManager manager = parent.newSubManager();
                SafetensorsReader reader = SafetensorsReader.open(parityFile)) {
            Map<String, NDArray> ref = new TreeMap<>();
            for (String key : reader.entries().keySet()) {
                ref.put(key, reader.read(key, manager).toDevice(model.device(), false));
            }
            if (!ref.containsKey("input_ids")) {
                throw new IOException(parityFile + " has no input_ids: not a parity file");
            }
            List<String> checked = new ArrayList<>();
            List<String> failures = new ArrayList<>();
            NDArray ids = ref.get("input_ids");
            NDArray mask = ref.get("attention_mask");
            Double logitDiff = null;
            Double hiddenDiff = null;
            try (EncoderOutput out = model.forward(ids, mask, ref.get("token_type_ids"))) {
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
                Gradients grads = lossAndGradients(model, ids, mask, ref.get("token_type_ids"), ref.get("labels"));
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
                    // lm_head.decoder.bias is lm_head.bias under a second name (transformers 5.x)
                    Double actual = grads.norms().get(
                            HfCheckpointReader.canonicalName(param, model.config().modelType()));
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
            checkDecodes(model, modelName, ref, checked, failures, parent);
            List<String> notChecked = new ArrayList<>();
            for (String key : ref.keySet()) {
                if (!checked.contains(key) && !INPUTS.contains(key)) {
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

    private static final List<String> INPUTS =
            List.of("input_ids", "attention_mask", "token_type_ids", "labels", "original_ids", "decode_canvas");

    /** Reproduces every {@code decode_confidence_*} / {@code decode_topk_*steps} key exactly. */
    private static void checkDecodes(MaskedLanguageModel model, String modelName, Map<String, NDArray> ref,
            List<String> checked, List<String> failures, NDManager manager) throws IOException {
        NDArray canvasArray = ref.get("decode_canvas");
        if (canvasArray == null) {
            return;
        }
        long[] canvas = canvasArray.toType(DataType.INT64, false).toLongArray();
        SpecialTokens specials = specialsFor(modelName, canvas);
        Generator generator = new Generator(new ModelDenoiser(model), specials);
        for (Map.Entry<String, NDArray> e : ref.entrySet()) {
            var check = DecodeCheck.parse(e.getKey(), canvas.length);
            if (check.isEmpty()) {
                continue;
            }
            CanvasRow row = CanvasRow.infill(canvas, specials.maskId(), 0);
            long[] actual = generator.generate(manager, List.of(row), check.get().config(), FrameListener.NONE,
                    () -> false).get(0).ids();
            long[] expected = e.getValue().toType(DataType.INT64, false).toLongArray();
            checked.add(e.getKey());
            if (!Arrays.equals(actual, expected)) {
                failures.add(e.getKey() + " differs: expected " + Arrays.toString(expected)
                        + ", got " + Arrays.toString(actual));
            }
        }
    }

    /** The checkpoint's special tokens; without a tokenizer, the canvas's last token is its mask. */
    private static SpecialTokens specialsFor(String modelDir, long[] canvas) throws IOException {
        Path dir = Path.of(modelDir);
        if (Files.exists(dir.resolve(TextTokenizer.TOKENIZER_JSON))) {
            try (TextTokenizer tokenizer = TextTokenizer.load(dir)) {
                if (tokenizer.specials().maskId() >= 0) {
                    return tokenizer.specials();
                }
            }
        }
        int mask = (int) canvas[canvas.length - 1];
        return new SpecialTokens(-1, mask, -1, -1, -1, -1, -1);
    }

    /** The masked-LM loss and the L2 norm of its gradient for every parameter (HF names). */
    public record Gradients(double loss, Map<String, Double> norms) {}

    /** One backward pass; parameters stop requiring gradients afterwards. */
    public static Gradients lossAndGradients(MaskedLanguageModel model, NDArray ids, NDArray mask,
            NDArray tokenTypes, NDArray labels) {
        Map<String, NDArray> params = model.parameters();
        params.values().forEach(p -> p.setRequiresGradient(true));
        try (NDManager scope = ids.getManager().newSubManager()) {
            ids.tempAttach(scope);
            double loss;
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                EncoderOutput out = model.forward(ids, mask, tokenTypes);
                NDArray lossArray = MaskedLmLoss.crossEntropy(out.logits(), labels);
                collector.backward(lossArray);
                loss = lossArray.toType(DataType.FLOAT64, false).getDouble();
            }
            Map<String, Double> norms = new TreeMap<>();
            for (Map.Entry<String, NDArray> p : params.entrySet()) {
                try (NDArray grad = p.getValue().getGradient();
                        NDArray norm = grad.toType(DataType.FLOAT64, false).norm()) {
                    norms.put(p.getKey(), norm.getDouble());
                }
            }
            return new Gradients(loss, norms);
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

package dev.unmask.diffusion.bench;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.unmask.diffusion.model.EncoderConfig;
import dev.unmask.diffusion.model.MaskedLanguageModel;
import dev.unmask.diffusion.model.ModelInitializer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Forward-pass throughput of a randomly initialised model, side by side with the engine's
 * matmul rate on the model's own feed-forward shape, measured in alternating rounds so machine
 * noise hits both alike. Reports medians.
 */
public final class ForwardBenchmark {

    /** What to measure. */
    public record Settings(EncoderConfig config, int seqLen, List<Integer> batches, int warmup, int rounds,
            Device device, DataType dataType) {}

    /** One batch size's result. */
    public record BatchResult(int batch, double medianSeconds, double tokensPerSecond, double modelGflops,
            double achievedGflopsPerSecond, double fractionOfMatmul) {}

    /** The whole run. */
    public record Result(long parameters, int seqLen, String device, String dataType, int rounds,
            double matmulGflopsPerSecond, String matmulShape, List<BatchResult> batches) {}

    public static Result run(Settings s) {
        EncoderConfig c = s.config();
        try (NDManager manager = NDManager.newBaseManager(s.device());
                MaskedLanguageModel model = ModelInitializer.initialize(c, manager, s.device(), s.dataType(), 42)) {
            int maxBatch = s.batches().stream().mapToInt(Integer::intValue).max().orElse(1);
            long rows = (long) maxBatch * s.seqLen();
            // the feed-forward up-projection of the largest batch
            NDArray[] ab = upProjection(manager, c, rows, s.dataType());
            NDArray a = ab[0];
            NDArray b = ab[1];

            Map<Integer, NDArray> inputs = new LinkedHashMap<>();
            Map<Integer, Timer> timers = new LinkedHashMap<>();
            for (int batch : s.batches()) {
                inputs.put(batch, manager.randomInteger(5, c.vocabSize(), new Shape(batch, s.seqLen()), DataType.INT64));
                timers.put(batch, new Timer(s.rounds()));
            }
            Timer matmul = new Timer(s.rounds());
            for (int i = 0; i < s.warmup(); i++) {
                matmulOnce(a, b);
                inputs.values().forEach(ids -> forwardOnce(model, ids));
            }
            for (int r = 0; r < s.rounds(); r++) {
                matmul.time(() -> matmulOnce(a, b));
                for (int batch : s.batches()) {
                    NDArray ids = inputs.get(batch);
                    timers.get(batch).time(() -> forwardOnce(model, ids));
                }
            }
            double matmulRate = matmulFlops(c, rows) / matmul.median() / 1e9;
            List<BatchResult> results = new ArrayList<>();
            for (int batch : s.batches()) {
                double median = timers.get(batch).median();
                double gflops = forwardFlops(c, batch, s.seqLen()) / 1e9;
                double achieved = gflops / median;
                results.add(new BatchResult(batch, median, batch * (double) s.seqLen() / median, gflops, achieved,
                        achieved / matmulRate));
            }
            return new Result(model.layout().parameterCount(), s.seqLen(), s.device().toString(),
                    s.dataType().toString(), s.rounds(), matmulRate,
                    matmulShape(c, rows),
                    results);
        }
    }

    /** Multiply-adds of one forward pass (dense layers, attention, full LM head), times two. */
    static double forwardFlops(EncoderConfig c, int batch, int seq) {
        return encoderFlops(c, batch, seq) + headFlops(c, (double) batch * seq);
    }

    /** Multiply-adds of the encoder layers over {@code batch x seq} positions, times two. */
    static double encoderFlops(EncoderConfig c, int batch, int seq) {
        double n = (double) batch * seq;
        double h = c.hiddenSize();
        double perLayer = 2 * n * h * h * 4 // q, k, v, output projections
                + 2 * n * h * c.intermediateSize() * 2 // feed-forward up and down
                + 2 * (double) batch * seq * seq * h * 2; // scores and weighted values
        return perLayer * c.numHiddenLayers();
    }

    /** Multiply-adds of the LM head (transform and decoder) at {@code rows} positions, times two. */
    static double headFlops(EncoderConfig c, double rows) {
        double h = c.hiddenSize();
        return 2 * rows * h * h + 2 * rows * h * c.vocabSize();
    }

    /** The shape string of the feed-forward up-projection over {@code rows}, as both sides print it. */
    static String matmulShape(EncoderConfig c, long rows) {
        return "(" + rows + "x" + c.hiddenSize() + ")x(" + c.hiddenSize() + "x" + c.intermediateSize() + ")";
    }

    /** The engine's matmul rate, GFLOP/s, on the feed-forward up-projection over {@code rows}: median of {@code rounds}. */
    static double matmulRate(EncoderConfig c, long rows, int warmup, int rounds) {
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            NDArray[] ab = upProjection(manager, c, rows, DataType.FLOAT32);
            NDArray a = ab[0];
            NDArray b = ab[1];
            for (int i = 0; i < warmup; i++) {
                matmulOnce(a, b);
            }
            Timer timer = new Timer(rounds);
            for (int r = 0; r < rounds; r++) {
                timer.time(() -> matmulOnce(a, b));
            }
            return matmulFlops(c, rows) / timer.median() / 1e9;
        }
    }

    /** Random operands of the feed-forward up-projection over {@code rows}: (rows, H) and (H, F). */
    private static NDArray[] upProjection(NDManager manager, EncoderConfig c, long rows, DataType type) {
        return new NDArray[] {manager.randomNormal(0, 1, new Shape(rows, c.hiddenSize()), type),
            manager.randomNormal(0, 1, new Shape(c.hiddenSize(), c.intermediateSize()), type)};
    }

    private static double matmulFlops(EncoderConfig c, long rows) {
        return 2.0 * rows * c.hiddenSize() * c.intermediateSize();
    }

    private static void matmulOnce(NDArray a, NDArray b) {
        try (NDArray product = a.matMul(b)) {
            product.get(0, 0).toType(DataType.FLOAT32, false).getFloat(); // wait for the result
        }
    }

    private static void forwardOnce(MaskedLanguageModel model, NDArray ids) {
        try (NDManager call = ids.getManager().newSubManager()) {
            ids.tempAttach(call);
            NDArray logits = model.forward(ids, null, null).logits();
            logits.get(0, 0, 0).toType(DataType.FLOAT32, false).getFloat(); // wait for the result
        }
    }
}

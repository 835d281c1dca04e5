package dev.unmask.diffusion.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The fp32 matmul rates measured in one round on one shape, (rows x H) x (H x F): Unmask's
 * ({@code NDArray.matMul}, libtorch and its MKL) and the reference's ({@code torch.mm} and
 * {@code F.linear} through its BLAS, oneDNN's inner product), in GFLOP/s. The best of them is
 * what "the best matmul rate any library reaches on this machine" means in a comparison.
 */
public record MatmulRates(String shape, Map<String, Double> gflopsPerSecond) {

    /** Unmask's rate and those of the reference's {@code "bench": "matmul"} line. */
    static MatmulRates of(String shape, double unmask, List<JsonNode> referenceLines) {
        Map<String, Double> rates = new LinkedHashMap<>();
        rates.put("unmask_matmul", unmask);
        List<JsonNode> matmul = ReferenceProcess.bench(referenceLines, "matmul");
        if (matmul.isEmpty()) {
            throw new ReferenceProcess.UnavailableException("the reference printed no matmul rate");
        }
        JsonNode line = matmul.get(0);
        String refShape = line.path("shape").asText();
        if (!refShape.equals(shape)) {
            throw new ReferenceProcess.UnavailableException(
                    "the reference measured its matmul on " + refShape + ", Unmask on " + shape);
        }
        rates.put("reference_mm", line.path("mm_gflops_per_s").asDouble());
        rates.put("reference_linear", line.path("linear_gflops_per_s").asDouble());
        rates.put("reference_onednn_linear", line.path("mkldnn_linear_gflops_per_s").asDouble());
        return new MatmulRates(shape, rates);
    }

    public String best() {
        return gflopsPerSecond.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
    }

    public double bestGflopsPerSecond() {
        return gflopsPerSecond.get(best());
    }
}

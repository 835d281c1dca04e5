package dev.unmask.diffusion.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;

/**
 * Medians over alternating rounds of one compared shape (a batch size, a preset): Unmask's rate,
 * the reference's, their ratio (median, min, max) and each side's fraction of the round's best
 * matmul rate.
 */
public record RatioSummary(String shape, int rounds, double unmask, double reference, double medianRatio,
        double minRatio, double maxRatio, double unmaskFractionOfBestMatmul, double referenceFractionOfBestMatmul) {

    /** The rounds grouped by {@code shape}, in the order first seen. */
    static <R> List<RatioSummary> of(List<R> rounds, Function<R, String> shape, ToDoubleFunction<R> unmask,
            ToDoubleFunction<R> reference, ToDoubleFunction<R> unmaskFraction, ToDoubleFunction<R> referenceFraction) {
        Map<String, List<R>> byShape = rounds.stream()
                .collect(Collectors.groupingBy(shape, LinkedHashMap::new, Collectors.toList()));
        List<RatioSummary> out = new ArrayList<>();
        byShape.forEach((key, rs) -> {
            List<Double> ratios = rs.stream().map(r -> unmask.applyAsDouble(r) / reference.applyAsDouble(r)).toList();
            out.add(new RatioSummary(key, rs.size(), median(rs, unmask), median(rs, reference), Stats.median(ratios),
                    ratios.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN),
                    ratios.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN),
                    median(rs, unmaskFraction), median(rs, referenceFraction)));
        });
        return out;
    }

    private static <R> double median(List<R> rounds, ToDoubleFunction<R> f) {
        return Stats.median(rounds.stream().map(f::applyAsDouble).toList());
    }
}

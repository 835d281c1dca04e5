package dev.unmask.diffusion.parity;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * The outcome of comparing a model with reference outputs from {@code transformers}. Differences
 * of keys the parity file lacks are null.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ParityReport(
        @JsonProperty("model") String model,
        @JsonProperty("parity_file") String parityFile,
        @JsonProperty("max_abs_logit_diff") Double maxAbsLogitDiff,
        @JsonProperty("max_abs_hidden_diff") Double maxAbsHiddenDiff,
        @JsonProperty("loss") Double loss,
        @JsonProperty("loss_rel_diff") Double lossRelDiff,
        @JsonProperty("max_grad_norm_rel_diff") Double maxGradNormRelDiff,
        @JsonProperty("worst_grad_param") String worstGradParam,
        @JsonProperty("checked") List<String> checked,
        @JsonProperty("not_checked") List<String> notChecked,
        @JsonProperty("tolerances") Tolerances tolerances,
        @JsonProperty("failures") List<String> failures,
        @JsonProperty("passed") boolean passed) {

    /** The tolerances fp32 arithmetic meets against {@code transformers}. */
    public record Tolerances(
            @JsonProperty("logits_abs") double logitsAbs,
            @JsonProperty("hidden_abs") double hiddenAbs,
            @JsonProperty("loss_rel") double lossRel,
            @JsonProperty("grad_norm_rel") double gradNormRel) {
        public static final Tolerances FP32 = new Tolerances(1e-4, 1e-4, 1e-5, 1e-3);
    }
}

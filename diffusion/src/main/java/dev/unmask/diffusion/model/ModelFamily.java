package dev.unmask.diffusion.model;

import java.util.Arrays;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The two kinds of model Unmask runs: masked-LM encoders (the diffusion models, {@link ModelType})
 * and the autoregressive GPT-2 baseline. Chosen by a folder's {@code model_type}.
 */
public enum ModelFamily {
    /** RoBERTa and BERT encoders with a masked-LM head: {@link MaskedLanguageModel}. */
    MASKED_LM,
    /** GPT-2 decoders with a tied LM head: {@link Gpt2Model}. */
    CAUSAL_LM;

    /** The family of an HF {@code model_type}. */
    public static ModelFamily fromHf(String modelType) {
        if (Gpt2Config.MODEL_TYPE.equals(modelType)) {
            return CAUSAL_LM;
        }
        if (Arrays.stream(ModelType.values()).anyMatch(t -> t.hfName().equals(modelType))) {
            return MASKED_LM;
        }
        throw new InvalidConfigException("model_type", modelType, Stream.concat(
                        Arrays.stream(ModelType.values()).map(ModelType::hfName), Stream.of(Gpt2Config.MODEL_TYPE))
                .collect(Collectors.joining(", ")));
    }
}

package dev.unmask.diffusion.model;

import java.util.List;

/**
 * The encoder families Unmask reads and writes, with the HF tensor names that differ between
 * them. Everything else (the encoder stack) is named the same under the family's prefix.
 */
public enum ModelType {
    ROBERTA(
            "roberta",
            "RobertaForMaskedLM",
            "lm_head.dense",
            "lm_head.layer_norm",
            "lm_head.bias",
            "lm_head.decoder.weight",
            List.of("lm_head.decoder.bias"),
            List.of("roberta.pooler.", "roberta.embeddings.position_ids")),
    BERT(
            "bert",
            "BertForMaskedLM",
            "cls.predictions.transform.dense",
            "cls.predictions.transform.LayerNorm",
            "cls.predictions.bias",
            "cls.predictions.decoder.weight",
            List.of("cls.predictions.decoder.bias"),
            List.of("bert.pooler.", "cls.seq_relationship.", "bert.embeddings.position_ids"));

    private final String hfName;
    private final String architecture;
    private final String headDense;
    private final String headLayerNorm;
    private final String headBias;
    private final String decoderWeight;
    private final List<String> headBiasAliases;
    private final List<String> ignoredPrefixes;

    ModelType(
            String hfName,
            String architecture,
            String headDense,
            String headLayerNorm,
            String headBias,
            String decoderWeight,
            List<String> headBiasAliases,
            List<String> ignoredPrefixes) {
        this.hfName = hfName;
        this.architecture = architecture;
        this.headDense = headDense;
        this.headLayerNorm = headLayerNorm;
        this.headBias = headBias;
        this.decoderWeight = decoderWeight;
        this.headBiasAliases = headBiasAliases;
        this.ignoredPrefixes = ignoredPrefixes;
    }

    /** {@code model_type} in {@code config.json}; also the prefix of the encoder's tensors. */
    public String hfName() {
        return hfName;
    }

    /** The {@code architectures} entry that {@code transformers} loads this as. */
    public String architecture() {
        return architecture;
    }

    /** The LM head's dense (transform) layer, without {@code .weight}/{@code .bias}. */
    public String headDense() {
        return headDense;
    }

    /** The LM head's LayerNorm, without {@code .weight}/{@code .bias}. */
    public String headLayerNorm() {
        return headLayerNorm;
    }

    /** The output bias over the vocabulary. */
    public String headBias() {
        return headBias;
    }

    /** The decoder (vocabulary projection) weight: absent from files when tied. */
    public String decoderWeight() {
        return decoderWeight;
    }

    /** Other names the output bias is saved under by some versions of {@code transformers}. */
    public List<String> headBiasAliases() {
        return headBiasAliases;
    }

    /** Tensors that belong to other heads or are buffers: skipped when reading. */
    public List<String> ignoredPrefixes() {
        return ignoredPrefixes;
    }

    /**
     * Whether the LM head's activation follows {@code hidden_act}. BERT's does; RoBERTa's head
     * always uses exact GELU.
     */
    public boolean headFollowsHiddenAct() {
        return this == BERT;
    }

    public static ModelType fromHf(String name) {
        for (ModelType type : values()) {
            if (type.hfName.equals(name)) {
                return type;
            }
        }
        throw new InvalidConfigException("model_type", name, "roberta, bert");
    }
}

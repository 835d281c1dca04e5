package dev.unmask.jobspec;

import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/** A generate job's parameters (the API's top-level fields beside {@code type} and {@code model}; {@code ./unmask generate}'s options). */
public final class GenerateParams {
    private GenerateParams() {}

    /** The API's prompt; the CLI's {@code --prompt} repeats (one canvas row each), so it is not generated from here. */
    public static final Param PROMPT = Param.text("prompt", "", 20_000).cli(null)
            .title("Prompt").doc("the text to continue; holding the mask token (<mask>): a template to infill");
    public static final Param MAX_TOKENS = Param.integer("max_tokens", 240).range(1, 8192)
            .title("Length (max_tokens)").doc("tokens to write after the prompt");
    public static final Param STRATEGY = Param.choice("strategy", "refine", "refine", "confidence", "topk")
            .title("Strategy").doc("refine: predict all, re-mask a shrinking random fraction; confidence: commit every "
                    + "position above threshold; topk: commit the most confident k per step");
    public static final Param STEPS = Param.integer("steps", 10).range(1, 10_000)
            .title("Steps").doc("denoising steps (refine, topk); an upper bound for confidence");
    public static final Param TEMPERATURE = Param.number("temperature", 1.0).range(0, false, 100)
            .title("Temperature").doc("softmax temperature; 0 = greedy");
    public static final Param TOP_K = Param.integer("top_k", 50).range(0, 1_000_000)
            .title("Top-k").doc("sample from the k most likely tokens; 0 = all tokens");
    public static final Param TOP_P = Param.number("top_p", 0.95).range(0, true, 1)
            .title("Top-p").doc("sample from the smallest set of tokens whose probability reaches p");
    public static final Param THRESHOLD = Param.number("threshold", 0.9).range(0, true, 1)
            .title("Threshold").doc("the confidence strategy's commit threshold");
    public static final Param BLOCK_SIZE = Param.integer("block_size", 0).range(0, 8192)
            .title("Block size").doc("semi-autoregressive blocks of this many positions, left to right; 0 = one block");
    /** Drawn when absent (and stored by the API, printed by the CLI), so any text can be written again. */
    public static final Param SEED = Param.integer("seed", 0)
            .derived("drawn at random", v -> ThreadLocalRandom.current().nextLong(1L << 53))
            .title("Seed").doc("text i uses seed + i");
    public static final Param N = Param.integer("n", 1).range(1, 64).cli("-n")
            .title("Texts").doc("texts to write (per prompt on the command line), seeds seed, seed + 1, ...");

    public static final ParamSet SET = new ParamSet("generate", List.of(PROMPT, MAX_TOKENS, STRATEGY, STEPS,
            TEMPERATURE, TOP_K, TOP_P, THRESHOLD, BLOCK_SIZE, SEED, N), v -> List.of());
}

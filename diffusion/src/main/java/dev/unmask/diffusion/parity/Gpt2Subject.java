package dev.unmask.diffusion.parity;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.unmask.diffusion.model.CausalLmLoss;
import dev.unmask.diffusion.model.EncoderOutput;
import dev.unmask.diffusion.model.Gpt2Model;
import dev.unmask.diffusion.sample.CausalGenerator;
import dev.unmask.diffusion.sample.FrameListener;
import dev.unmask.diffusion.sample.GenerationConfig;
import dev.unmask.diffusion.sample.Gpt2Decoder;
import dev.unmask.diffusion.sample.PromptRow;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A GPT-2 decoder under a parity check: next-token loss, and {@code greedy_N} references (the
 * {@code greedy_prompt} rows followed by N argmax tokens, recomputed from scratch each step by the
 * reference) reproduced by the KV-cached {@link CausalGenerator}, never stopping at end-of-text.
 */
final class Gpt2Subject implements ParitySubject {
    static final String GREEDY_PROMPT = "greedy_prompt";
    private static final Pattern GREEDY = Pattern.compile("greedy_(\\d+)");
    private static final List<String> INPUTS = List.of("input_ids", "attention_mask", "labels", GREEDY_PROMPT);
    private static final GenerationConfig ARGMAX = GenerationConfig.sampling(0.0, 0, 1.0);

    private final Gpt2Model model;

    Gpt2Subject(Gpt2Model model) {
        this.model = model;
    }

    @Override
    public Gpt2Model model() {
        return model;
    }

    @Override
    public EncoderOutput forward(Map<String, NDArray> ref) {
        return model.forward(ref.get("input_ids"), ref.get("attention_mask"));
    }

    @Override
    public NDArray loss(Map<String, NDArray> ref) {
        return CausalLmLoss.crossEntropy(forward(ref).logits(), ref.get("labels"));
    }

    @Override
    public List<String> inputs() {
        return INPUTS;
    }

    @Override
    public void checkDecodes(Map<String, NDArray> ref, List<String> checked, List<String> failures,
            NDManager manager) {
        NDArray promptArray = ref.get(GREEDY_PROMPT);
        if (promptArray == null) {
            return;
        }
        long[][] prompts = rows(promptArray);
        CausalGenerator generator = new CausalGenerator(new Gpt2Decoder(model), -1, 0);
        for (Map.Entry<String, NDArray> e : ref.entrySet()) {
            Matcher m = GREEDY.matcher(e.getKey());
            if (!m.matches()) {
                continue;
            }
            int tokens = Integer.parseInt(m.group(1));
            List<PromptRow> rows = new ArrayList<>();
            for (long[] prompt : prompts) {
                rows.add(new PromptRow(prompt, tokens, 0));
            }
            var results = generator.generate(manager, rows, ARGMAX, FrameListener.NONE, () -> false);
            long[][] expected = rows(e.getValue());
            checked.add(e.getKey());
            for (int r = 0; r < expected.length; r++) {
                long[] actual = results.get(r).ids();
                if (!Arrays.equals(actual, expected[r])) {
                    failures.add(e.getKey() + " row " + r + " differs: expected " + Arrays.toString(expected[r])
                            + ", got " + Arrays.toString(actual));
                }
            }
        }
    }

    /** (R, L) int64 as R rows. */
    private static long[][] rows(NDArray array) {
        long[] flat = array.toType(DataType.INT64, false).toLongArray();
        int width = (int) array.getShape().getLastDimension();
        long[][] rows = new long[flat.length / width][];
        for (int r = 0; r < rows.length; r++) {
            rows[r] = Arrays.copyOfRange(flat, r * width, (r + 1) * width);
        }
        return rows;
    }
}

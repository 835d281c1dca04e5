package dev.unmask.diffusion.parity;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.unmask.diffusion.checkpoint.HfCheckpointReader;
import dev.unmask.diffusion.model.EncoderOutput;
import dev.unmask.diffusion.model.MaskedLanguageModel;
import dev.unmask.diffusion.model.MaskedLmLoss;
import dev.unmask.diffusion.sample.CanvasRow;
import dev.unmask.diffusion.sample.FrameListener;
import dev.unmask.diffusion.sample.Generator;
import dev.unmask.diffusion.sample.ModelDenoiser;
import dev.unmask.diffusion.tokenizer.SpecialTokens;
import dev.unmask.diffusion.tokenizer.TextTokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** A masked-LM encoder under a parity check: masked-LM loss, {@code decode_*} references on a canvas. */
final class EncoderSubject implements ParitySubject {
    private static final List<String> INPUTS =
            List.of("input_ids", "attention_mask", "token_type_ids", "labels", "original_ids", "decode_canvas");

    private final MaskedLanguageModel model;
    private final String modelName;

    EncoderSubject(MaskedLanguageModel model, String modelName) {
        this.model = model;
        this.modelName = modelName;
    }

    @Override
    public MaskedLanguageModel model() {
        return model;
    }

    @Override
    public EncoderOutput forward(Map<String, NDArray> ref) {
        return model.forward(ref.get("input_ids"), ref.get("attention_mask"), ref.get("token_type_ids"));
    }

    @Override
    public NDArray loss(Map<String, NDArray> ref) {
        return MaskedLmLoss.crossEntropy(forward(ref).logits(), ref.get("labels"));
    }

    /** lm_head.decoder.bias is lm_head.bias under a second name (transformers 5.x), as when reading. */
    @Override
    public String parameterName(String fileName) {
        return HfCheckpointReader.canonicalName(fileName, model.config().modelType());
    }

    @Override
    public List<String> inputs() {
        return INPUTS;
    }

    /** Reproduces every {@code decode_confidence_*} / {@code decode_topk_*steps} key exactly. */
    @Override
    public void checkDecodes(Map<String, NDArray> ref, List<String> checked, List<String> failures,
            NDManager manager) throws IOException {
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
}

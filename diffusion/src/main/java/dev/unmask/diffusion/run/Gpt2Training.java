package dev.unmask.diffusion.run;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.unmask.diffusion.checkpoint.Gpt2CheckpointReader;
import dev.unmask.diffusion.data.TokenizedCorpus;
import dev.unmask.diffusion.eval.HeldOutEval;
import dev.unmask.diffusion.eval.PerplexityEvaluator;
import dev.unmask.diffusion.model.Gpt2Config;
import dev.unmask.diffusion.model.Gpt2Initializer;
import dev.unmask.diffusion.model.Gpt2Model;
import dev.unmask.diffusion.model.Presets;
import dev.unmask.diffusion.tokenizer.BpeTrainerConfig;
import dev.unmask.diffusion.tokenizer.TextTokenizer;
import dev.unmask.diffusion.train.NextToken;
import dev.unmask.diffusion.train.Objective;
import dev.unmask.diffusion.train.TrainConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * GPT-2 trained by next-token prediction: {@code gpt2-*} presets with a GPT-2 tokenizer
 * ({@code <|endoftext|>} only), {@code GPT2LMHeadModel} folders, exact perplexity. The noise and
 * prefix settings of a {@link TrainConfig} do not apply.
 */
final class Gpt2Training implements FamilyTraining<Gpt2Model> {

    @Override
    public BpeTrainerConfig tokenizer(int vocabSize) {
        return BpeTrainerConfig.gpt2(vocabSize);
    }

    @Override
    public Gpt2Model fromScratch(String preset, TextTokenizer tokenizer, NDManager manager, Device device,
            long seed) {
        Gpt2Config config = Presets.gpt2(preset, tokenizer.vocabSize(), tokenizer.specials());
        return Gpt2Initializer.initialize(config, manager, device, DataType.FLOAT32, seed);
    }

    @Override
    public Gpt2Model fineTune(Path dir, NDManager manager, Device device, long seed, Consumer<String> log)
            throws IOException {
        return Gpt2CheckpointReader.load(dir, manager, device, DataType.FLOAT32);
    }

    @Override
    public Gpt2Model resume(Path checkpoint, NDManager manager, Device device) throws IOException {
        return Gpt2CheckpointReader.load(checkpoint, manager, device, DataType.FLOAT32);
    }

    @Override
    public void checkSizes(int seqLen, Gpt2Model model, TextTokenizer tokenizer) {
        TrainingRun.checkSizes(seqLen, model.config().maxPositions(), tokenizer, model.config().vocabSize());
    }

    @Override
    public Objective<? super Gpt2Model> objective(TextTokenizer tokenizer, TrainConfig config) {
        return new NextToken();
    }

    @Override
    public HeldOutEval evaluate(Gpt2Model model, TextTokenizer tokenizer, TokenizedCorpus corpus, TrainSpec spec) {
        return new PerplexityEvaluator(model, tokenizer.specials(), corpus.tokenFrequencies())
                .evaluate(CorpusBatches.inOrder(corpus.heldOut(), spec.train().batchSize()));
    }
}

package dev.unmask.diffusion.run;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.unmask.diffusion.checkpoint.HfCheckpointReader;
import dev.unmask.diffusion.checkpoint.LoadedCheckpoint;
import dev.unmask.diffusion.data.TokenizedCorpus;
import dev.unmask.diffusion.eval.Evaluator;
import dev.unmask.diffusion.eval.HeldOutEval;
import dev.unmask.diffusion.model.EncoderConfig;
import dev.unmask.diffusion.model.MaskedLanguageModel;
import dev.unmask.diffusion.model.ModelInitializer;
import dev.unmask.diffusion.model.Presets;
import dev.unmask.diffusion.tokenizer.BpeTrainerConfig;
import dev.unmask.diffusion.tokenizer.TextTokenizer;
import dev.unmask.diffusion.train.Objective;
import dev.unmask.diffusion.train.TrainConfig;
import dev.unmask.diffusion.train.Trainer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.function.Consumer;

/** Masked-LM encoders trained as diffusion models: RoBERTa presets, HF folders, ELBO evaluation. */
final class DiffusionTraining implements FamilyTraining<MaskedLanguageModel> {

    @Override
    public BpeTrainerConfig tokenizer(int vocabSize) {
        return BpeTrainerConfig.of(vocabSize);
    }

    @Override
    public MaskedLanguageModel fromScratch(String preset, TextTokenizer tokenizer, NDManager manager, Device device,
            long seed) {
        EncoderConfig config = Presets.roberta(preset, tokenizer.vocabSize(), tokenizer.specials());
        return ModelInitializer.initialize(config, manager, device, DataType.FLOAT32, seed);
    }

    @Override
    public MaskedLanguageModel fineTune(Path dir, NDManager manager, Device device, long seed, Consumer<String> log)
            throws IOException {
        LoadedCheckpoint loaded = HfCheckpointReader.loadForTraining(dir, manager, device, DataType.FLOAT32, seed);
        if (loaded.headless()) {
            log.accept("headless checkpoint " + dir + ": initialised fresh " + String.join(", ", loaded.initialised()));
        }
        return loaded.model();
    }

    @Override
    public MaskedLanguageModel resume(Path checkpoint, NDManager manager, Device device) throws IOException {
        return HfCheckpointReader.load(checkpoint, manager, device, DataType.FLOAT32);
    }

    @Override
    public void checkSizes(int seqLen, MaskedLanguageModel model, TextTokenizer tokenizer) {
        EncoderConfig c = model.config();
        TrainingRun.checkSizes(seqLen, c.maxSequenceLength(), tokenizer, c.vocabSize());
        tokenizer.specials().requireMask();
    }

    @Override
    public Objective<? super MaskedLanguageModel> objective(TextTokenizer tokenizer, TrainConfig config) {
        return Trainer.diffusion(tokenizer, config);
    }

    @Override
    public HeldOutEval evaluate(MaskedLanguageModel model, TextTokenizer tokenizer, TokenizedCorpus corpus,
            TrainSpec spec) {
        return new Evaluator(model, tokenizer.specials(), corpus.tokenFrequencies())
                .evaluate(CorpusBatches.inOrder(corpus.heldOut(), spec.train().batchSize()), spec.evalSamples(),
                        spec.train().seed());
    }
}

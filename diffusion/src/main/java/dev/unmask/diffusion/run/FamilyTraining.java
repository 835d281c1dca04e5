package dev.unmask.diffusion.run;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import dev.unmask.diffusion.data.TokenizedCorpus;
import dev.unmask.diffusion.eval.HeldOutEval;
import dev.unmask.diffusion.model.TrainableModel;
import dev.unmask.diffusion.tokenizer.BpeTrainerConfig;
import dev.unmask.diffusion.tokenizer.TextTokenizer;
import dev.unmask.diffusion.train.Objective;
import dev.unmask.diffusion.train.TrainConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * What a {@link TrainingRun} does differently for one model family: the tokenizer a from-scratch
 * run trains, how the model is made (a preset, a folder to fine-tune, a checkpoint to resume), the
 * objective, and the held-out evaluation. The rest of a run (corpus, split, batches, trainer,
 * checkpoints, resume) is the same for every family.
 *
 * @param <M> the family's model
 */
interface FamilyTraining<M extends TrainableModel<M>> {
    /** The byte-level BPE a from-scratch run trains on its corpus. */
    BpeTrainerConfig tokenizer(int vocabSize);

    /** A fresh model of the named preset for the tokenizer. */
    M fromScratch(String preset, TextTokenizer tokenizer, NDManager manager, Device device, long seed);

    /** A folder to fine-tune (a headless encoder gets a fresh head, logged). */
    M fineTune(Path dir, NDManager manager, Device device, long seed, Consumer<String> log) throws IOException;

    /** A resumable checkpoint this run wrote. */
    M resume(Path checkpoint, NDManager manager, Device device) throws IOException;

    /** Refuses a model that cannot train on these rows with this tokenizer, naming what is wrong. */
    void checkSizes(int seqLen, M model, TextTokenizer tokenizer);

    Objective<? super M> objective(TextTokenizer tokenizer, TrainConfig config);

    /** The held-out evaluation of the trained model on the corpus's held-out rows. */
    HeldOutEval evaluate(M model, TextTokenizer tokenizer, TokenizedCorpus corpus, TrainSpec spec);
}

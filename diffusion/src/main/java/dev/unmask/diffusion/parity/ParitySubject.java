package dev.unmask.diffusion.parity;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.unmask.diffusion.model.EncoderOutput;
import dev.unmask.diffusion.model.HfModel;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/** One model family as a parity check runs it: the forward pass, the training loss and the decodings. */
interface ParitySubject {
    /** The model: its parameters get gradient norms, its device the file's tensors. */
    HfModel model();

    /** Logits and last hidden state for the file's {@code input_ids} and {@code attention_mask}. */
    EncoderOutput forward(Map<String, NDArray> ref);

    /** The family's training loss for the file's inputs and {@code labels}, recorded for backward. */
    NDArray loss(Map<String, NDArray> ref);

    /**
     * The parameter a parity file's {@code grad_norm.NAME} belongs to: {@code NAME}, unless the
     * family's files also give that parameter a second name.
     */
    default String parameterName(String fileName) {
        return fileName;
    }

    /** Keys of a parity file that are inputs, not references to compare. */
    List<String> inputs();

    /** Reproduces every decoding reference the file has: each key checked goes to {@code checked}. */
    void checkDecodes(Map<String, NDArray> ref, List<String> checked, List<String> failures, NDManager manager)
            throws IOException;
}

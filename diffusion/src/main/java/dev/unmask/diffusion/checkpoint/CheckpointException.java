package dev.unmask.diffusion.checkpoint;

import java.io.IOException;

/** A checkpoint that cannot be read or written; the message names the file and the tensor. */
public final class CheckpointException extends IOException {
    public CheckpointException(String message) {
        super(message);
    }

    public CheckpointException(String message, Throwable cause) {
        super(message, cause);
    }
}

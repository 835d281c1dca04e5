package dev.unmask.diffusion.hub;

import java.io.IOException;

/**
 * A Hub id that cannot be resolved. The {@link Kind} says whether trying again can help (a job
 * runner maps it to a permanent or a retryable error); the message names the repository, the
 * revision or file, and what to do.
 */
public final class HubException extends IOException {
    /** Why resolution failed. */
    public enum Kind {
        /** 401/403: a private or gated repository, and no token (or one without access). */
        UNAUTHORIZED(false),
        /** 404 of the repository. */
        REPO_NOT_FOUND(false),
        /** 404 of a branch, tag or commit. */
        REVISION_NOT_FOUND(false),
        /** A file listed or needed is not in the repository, or the repository has no usable weights. */
        ENTRY_NOT_FOUND(false),
        /** The endpoint cannot be reached (DNS, refused, timeout, 5xx), and nothing usable is cached. */
        UNREACHABLE(true),
        /** HF_HUB_OFFLINE is set and the cache lacks what is needed. */
        NOT_CACHED(false),
        /** A downloaded blob does not match its ETag (the file was deleted). */
        CORRUPT(true),
        /** An answer the client does not understand. */
        PROTOCOL(true);

        private final boolean retryable;

        Kind(boolean retryable) {
            this.retryable = retryable;
        }

        public boolean retryable() {
            return retryable;
        }
    }

    private final Kind kind;

    public HubException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public HubException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}

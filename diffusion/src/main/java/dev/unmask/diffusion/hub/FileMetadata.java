package dev.unmask.diffusion.hub;

import java.net.URI;

/**
 * A file's {@code HEAD .../resolve/...} answer, read as {@code huggingface_hub}'s
 * {@code get_hf_file_metadata} reads it: the commit ({@code X-Repo-Commit}), the ETag with
 * {@code W/} and quotes removed ({@code X-Linked-Etag}, the sha256 of an LFS file, else
 * {@code ETag}), the size ({@code X-Linked-Size}, else {@code Content-Length}; -1 if neither),
 * and where the bytes are ({@code Location} of a redirect to a CDN, else the resolve URL).
 */
public record FileMetadata(String commit, String etag, long size, URI location) {
    /** {@code huggingface_hub}'s {@code _normalize_etag}. */
    public static String normalizeEtag(String etag) {
        if (etag == null) {
            return null;
        }
        String e = etag.strip();
        if (e.startsWith("W/")) {
            e = e.substring(2);
        }
        return e.replaceAll("^\"+|\"+$", "");
    }
}

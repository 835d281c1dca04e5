package dev.unmask.diffusion.hub;

import java.util.List;

/** What {@code GET /api/models/{repo}/revision/{revision}} says: the commit and every file in it. */
public record RepoInfo(String sha, List<String> files) {
    public RepoInfo {
        files = List.copyOf(files);
    }
}

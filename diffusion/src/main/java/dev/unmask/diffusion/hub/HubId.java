package dev.unmask.diffusion.hub;

import java.util.regex.Pattern;

/**
 * A model repository on the Hub, {@code org/name} or {@code org/name@revision} (a branch, a tag or
 * a commit hash). Names follow {@code huggingface_hub}'s {@code validate_repo_id}: letters,
 * digits, {@code - _ .}; no {@code --} or {@code ..}; {@code -} and {@code .} neither start nor end
 * a part; at most 96 characters. Unmask asks for the {@code org/} part, so that a mistyped
 * local folder ({@code out}) is never sent to the Hub.
 */
public record HubId(String repo, String revision) {
    public static final String DEFAULT_REVISION = "main";
    private static final int MAX_LENGTH = 96;
    private static final Pattern PART = Pattern.compile("[A-Za-z0-9_](?:[A-Za-z0-9_.\\-]*[A-Za-z0-9_])?");
    private static final Pattern COMMIT = Pattern.compile("[0-9a-f]{40}");

    public HubId {
        if (!isRepo(repo)) {
            throw new IllegalArgumentException("'" + repo + "' is not a Hub repository id (org/name)");
        }
        if (revision == null || revision.isBlank() || revision.contains("..") || revision.startsWith("/")) {
            throw new IllegalArgumentException("'" + revision + "' is not a revision of " + repo);
        }
    }

    /** Parses {@code org/name} (revision {@code main}) or {@code org/name@revision}. */
    public static HubId parse(String value) {
        int at = value.indexOf('@');
        return at < 0 ? new HubId(value, DEFAULT_REVISION)
                : new HubId(value.substring(0, at), value.substring(at + 1));
    }

    /** Whether {@code value} is spelled as a Hub id (it says nothing about the repository existing). */
    public static boolean looksLike(String value) {
        int at = value.indexOf('@');
        String repo = at < 0 ? value : value.substring(0, at);
        return isRepo(repo) && (at < 0 || at < value.length() - 1);
    }

    private static boolean isRepo(String repo) {
        if (repo == null || repo.length() > MAX_LENGTH || repo.contains("--") || repo.contains("..")) {
            return false;
        }
        String[] parts = repo.split("/", -1);
        return parts.length == 2 && PART.matcher(parts[0]).matches() && PART.matcher(parts[1]).matches();
    }

    /** Whether the revision is a full commit hash (then the cache can answer without asking the Hub). */
    public boolean pinnedToCommit() {
        return COMMIT.matcher(revision).matches();
    }

    public HubId withRevision(String other) {
        return new HubId(repo, other);
    }

    /** The cache folder's name, as {@code huggingface_hub}'s {@code repo_folder_name}: {@code models--org--name}. */
    public String folderName() {
        return "models--" + repo.replace("/", "--");
    }

    @Override
    public String toString() {
        return repo + "@" + revision;
    }
}

package dev.unmask.diffusion.hub;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Where and how to reach the Hub, read from the environment as {@code huggingface_hub} reads it:
 * the cache is {@code HF_HUB_CACHE} (or the older {@code HUGGINGFACE_HUB_CACHE}), else
 * {@code HF_HOME/hub}, where {@code HF_HOME} defaults to {@code $XDG_CACHE_HOME/huggingface}, else
 * {@code ~/.cache/huggingface}; {@code HF_ENDPOINT} (default {@code https://huggingface.co});
 * {@code HF_TOKEN}, else the token file {@code HF_TOKEN_PATH} (default {@code HF_HOME/token})
 * that {@code hf auth login} writes; {@code HF_HUB_OFFLINE} (or {@code TRANSFORMERS_OFFLINE})
 * true for "1", "on", "yes", "true".
 */
public record HubEnvironment(Path cacheDir, URI endpoint, Optional<String> token, boolean offline) {
    public static final String DEFAULT_ENDPOINT = "https://huggingface.co";
    private static final Set<String> TRUE = Set.of("1", "on", "yes", "true");

    public HubEnvironment {
        if (cacheDir == null || endpoint == null || token == null) {
            throw new IllegalArgumentException("cacheDir, endpoint and token must be given");
        }
        if (!"http".equals(endpoint.getScheme()) && !"https".equals(endpoint.getScheme())) {
            throw new IllegalArgumentException("HF_ENDPOINT must be an http(s) URL, got " + endpoint);
        }
    }

    /** The environment of this process. */
    public static HubEnvironment fromSystem() {
        return fromEnv(System.getenv());
    }

    /** An environment given as a map (tests pass their own, so the real one never leaks in). */
    public static HubEnvironment fromEnv(Map<String, String> env) {
        String home = System.getProperty("user.home");
        Path hfHome = expand(Path.of(first(env, "HF_HOME").orElseGet(() ->
                first(env, "XDG_CACHE_HOME").map(x -> Path.of(x, "huggingface").toString())
                        .orElseGet(() -> Path.of(home, ".cache", "huggingface").toString()))), home);
        Path cache = first(env, "HF_HUB_CACHE").or(() -> first(env, "HUGGINGFACE_HUB_CACHE"))
                .map(Path::of).orElse(hfHome.resolve("hub"));
        String endpoint = first(env, "HF_ENDPOINT").orElse(DEFAULT_ENDPOINT).replaceAll("/+$", "");
        Optional<String> token = first(env, "HF_TOKEN").or(() -> tokenFile(
                first(env, "HF_TOKEN_PATH").map(Path::of).orElse(hfHome.resolve("token"))));
        boolean offline = first(env, "HF_HUB_OFFLINE").or(() -> first(env, "TRANSFORMERS_OFFLINE"))
                .map(v -> TRUE.contains(v.toLowerCase(Locale.ROOT))).orElse(false);
        return new HubEnvironment(expand(cache, home), URI.create(endpoint), token, offline);
    }

    /** The same environment with another cache folder (the workers' shared cache). */
    public HubEnvironment withCacheDir(Path dir) {
        return new HubEnvironment(dir, endpoint, token, offline);
    }

    private static Optional<String> first(Map<String, String> env, String name) {
        return Optional.ofNullable(env.get(name)).map(String::strip).filter(v -> !v.isEmpty());
    }

    private static Optional<String> tokenFile(Path file) {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(Files.readString(file, StandardCharsets.UTF_8).strip()).filter(t -> !t.isEmpty());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the Hub token file " + file, e);
        }
    }

    private static Path expand(Path path, String home) {
        String s = path.toString();
        return s.equals("~") || s.startsWith("~/") ? Path.of(home + s.substring(1)) : path;
    }

    @Override
    public String toString() {
        // Never the token itself.
        return "HubEnvironment[cache=" + cacheDir + ", endpoint=" + endpoint + ", token="
                + (token.isPresent() ? "set" : "none") + ", offline=" + offline + "]";
    }
}

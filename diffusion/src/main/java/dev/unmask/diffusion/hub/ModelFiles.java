package dev.unmask.diffusion.hub;

import com.fasterxml.jackson.databind.JsonNode;
import dev.unmask.diffusion.util.Json;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The files of a repository that loading a model needs: {@code config.json}, the tokenizer
 * files, and the safetensors weights (the sharded index and the shards it lists, else
 * {@code model.safetensors}). Nothing else ({@code .bin}, {@code .h5}, {@code .onnx},
 * {@code .msgpack}, sub-folders) unless asked for by glob patterns ({@code onnx/*.onnx}).
 */
public record ModelFiles(List<String> extraPatterns) {
    public static final String CONFIG = "config.json";
    public static final String WEIGHTS = "model.safetensors";
    public static final String INDEX = "model.safetensors.index.json";
    /** Read when present; their absence is remembered with a {@code .no_exist} marker. */
    public static final List<String> OPTIONAL = List.of("tokenizer.json", "tokenizer_config.json", "special_tokens_map.json");

    public static final ModelFiles MODEL = new ModelFiles(List.of());

    public ModelFiles {
        extraPatterns = List.copyOf(extraPatterns);
    }

    /** The same files and those matching more glob patterns. */
    public ModelFiles with(String... patterns) {
        List<String> all = new ArrayList<>(extraPatterns);
        all.addAll(List.of(patterns));
        return new ModelFiles(all);
    }

    /**
     * The files to fetch before the index is read: config, tokenizer files the repo has, the
     * index or the single weights file, and the extra matches.
     */
    List<String> firstPass(HubId id, List<String> repoFiles) throws HubException {
        Set<String> files = new LinkedHashSet<>();
        if (!repoFiles.contains(CONFIG)) {
            throw new HubException(HubException.Kind.ENTRY_NOT_FOUND, id + " has no " + CONFIG + "; is it a transformers model?");
        }
        files.add(CONFIG);
        OPTIONAL.stream().filter(repoFiles::contains).forEach(files::add);
        if (repoFiles.contains(INDEX)) {
            files.add(INDEX);
        } else if (repoFiles.contains(WEIGHTS)) {
            files.add(WEIGHTS);
        } else {
            List<String> others = repoFiles.stream().filter(f -> f.matches("[^/]*\\.(bin|h5|msgpack|onnx|ckpt|pt)")).toList();
            throw new HubException(HubException.Kind.ENTRY_NOT_FOUND, id + " has neither " + WEIGHTS + " nor " + INDEX
                    + (others.isEmpty() ? "" : " (it has " + String.join(", ", others) + ")")
                    + "; Unmask reads safetensors weights only");
        }
        for (String pattern : extraPatterns) {
            PathMatcher m = FileSystems.getDefault().getPathMatcher("glob:" + pattern);
            repoFiles.stream().filter(f -> m.matches(Path.of(f))).forEach(files::add);
        }
        return new ArrayList<>(files);
    }

    /** The shards a downloaded {@code model.safetensors.index.json} lists, each checked against the repo's files. */
    static List<String> shards(HubId id, Path index, List<String> repoFiles) throws IOException {
        JsonNode weightMap = Json.read(index).path("weight_map");
        if (!weightMap.isObject() || weightMap.isEmpty()) {
            throw new HubException(HubException.Kind.ENTRY_NOT_FOUND, INDEX + " of " + id + " has no weight_map");
        }
        Set<String> shards = new LinkedHashSet<>();
        weightMap.elements().forEachRemaining(v -> shards.add(v.asText()));
        for (String shard : shards) {
            if (!repoFiles.contains(shard)) {
                throw new HubException(HubException.Kind.ENTRY_NOT_FOUND, INDEX + " of " + id + " lists shard "
                        + shard + ", which the repository does not have");
            }
        }
        return new ArrayList<>(shards);
    }

    /**
     * What a cached snapshot lacks for a load ({@code strict}: also each optional file that is
     * neither there nor known missing (a {@code .no_exist} marker, or absent from {@code trees/COMMIT.json}), and each extra pattern without a match); empty when it
     * can be used without asking the Hub.
     */
    List<String> missing(HubCache cache, HubId id, String commit, boolean strict) throws IOException {
        Path dir = cache.snapshot(id, commit);
        List<String> missing = new ArrayList<>();
        if (!Files.isRegularFile(dir.resolve(CONFIG))) {
            missing.add(CONFIG);
        }
        Path index = dir.resolve(INDEX);
        if (Files.isRegularFile(index)) {
            for (String shard : shardsOf(index)) {
                if (!Files.isRegularFile(cache.snapshotFile(id, commit, shard))) {
                    missing.add(shard);
                }
            }
        } else if (!Files.isRegularFile(dir.resolve(WEIGHTS))) {
            missing.add(WEIGHTS + " or " + INDEX);
        }
        if (strict) {
            Optional<Set<String>> listing = cache.listing(id, commit);
            for (String file : OPTIONAL) {
                boolean knownMissing = Files.exists(cache.noExist(id, commit, file))
                        || listing.map(l -> !l.contains(file)).orElse(false);
                if (!Files.isRegularFile(dir.resolve(file)) && !knownMissing) {
                    missing.add(file);
                }
            }
            for (String pattern : extraPatterns) {
                PathMatcher m = FileSystems.getDefault().getPathMatcher("glob:" + pattern);
                boolean any = false;
                if (Files.isDirectory(dir)) {
                    try (var walk = Files.walk(dir)) {
                        any = walk.filter(Files::isRegularFile).anyMatch(p -> m.matches(dir.relativize(p)));
                    }
                }
                if (!any) {
                    missing.add(pattern);
                }
            }
        }
        return missing;
    }

    private static Set<String> shardsOf(Path index) throws IOException {
        Set<String> shards = new LinkedHashSet<>();
        Json.read(index).path("weight_map").elements().forEachRemaining(v -> shards.add(v.asText()));
        return shards;
    }
}

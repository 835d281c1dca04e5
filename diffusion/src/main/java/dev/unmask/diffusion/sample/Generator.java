package dev.unmask.diffusion.sample;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.unmask.diffusion.tokenizer.SpecialTokens;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;

/**
 * Writes text by iterative unmasking: a batch of canvases of any lengths goes through the model
 * together each step; a {@link Strategy} decides which predictions each canvas keeps. Generated
 * positions are processed in semi-autoregressive blocks when {@code block_size} is set. Each
 * canvas draws from its own seeded RNG, so its text does not depend on what it was batched with.
 */
public final class Generator {
    private final Denoiser denoiser;
    private final SpecialTokens specials;

    public Generator(Denoiser denoiser, SpecialTokens specials) {
        this.denoiser = denoiser;
        this.specials = specials;
    }

    public List<GenerationResult> generate(NDManager manager, List<CanvasRow> rows, GenerationConfig config,
            FrameListener listener, BooleanSupplier cancelled) {
        if (rows.isEmpty()) {
            return List.of();
        }
        Batch batch = new Batch(rows, specials.requireMask(), specials.padId() >= 0 ? specials.padId() : 0);
        for (int b = 0; b < rows.size(); b++) {
            batch.splitBlocks(b, rows.get(b).generatedPositions(), config.blockSize());
        }
        if (batch.length > denoiser.maxLength()) {
            throw new IllegalArgumentException("a canvas of " + batch.length + " tokens exceeds the model's "
                    + denoiser.maxLength() + " positions");
        }
        try (NDManager scope = manager.newSubManager()) {
            NDArray suppress = config.suppressSpecialTokens() ? suppressionBias(scope) : null;
            int blocks = Arrays.stream(batch.blocks).mapToInt(b -> b.length).max().orElse(0);
            int stepsPerBlock = Math.max(1, config.steps() / Math.max(1, blocks));
            for (int j = 0; j < blocks; j++) {
                int[][] active = new int[rows.size()][];
                for (int b = 0; b < active.length; b++) {
                    active[b] = j < batch.blocks[b].length ? batch.blocks[b][j] : new int[0];
                }
                Step step = new Step(scope, batch, config, suppress, listener, cancelled);
                switch (config.strategy()) {
                    case CONFIDENCE -> step.confidence(active);
                    case TOPK -> step.topk(active, stepsPerBlock);
                    case REFINE -> step.refine(active, stepsPerBlock);
                }
            }
        }
        List<GenerationResult> results = new ArrayList<>();
        for (int b = 0; b < rows.size(); b++) {
            CanvasRow row = rows.get(b);
            long[] ids = Arrays.copyOf(batch.ids[b], row.length());
            results.add(new GenerationResult(ids, trimTail(ids, row), batch.steps[b]));
        }
        return results;
    }

    /** Generated tokens in order; for a prompt continuation, cut at the first end-of-text or padding. */
    long[] trimTail(long[] ids, CanvasRow row) {
        int[] positions = row.generatedPositions();
        boolean continuation = positions.length > 0 && positions[positions.length - 1] == ids.length - 1
                && positions[0] == ids.length - positions.length;
        long[] out = new long[positions.length];
        int n = 0;
        for (int p : positions) {
            long id = ids[p];
            boolean end = id == specials.endId() || id == specials.eosId();
            if (continuation && (end || id == specials.padId())) {
                break;
            }
            if (id != specials.padId()) {
                out[n++] = id;
            }
        }
        return Arrays.copyOf(out, n);
    }

    /** (V) 0 everywhere but -inf at the mask, start and unknown tokens. */
    private NDArray suppressionBias(NDManager scope) {
        float[] bias = new float[denoiser.vocabSize()];
        for (int id : new int[] {specials.maskId(), specials.bosId(), specials.clsId(), specials.unkId()}) {
            if (id >= 0 && id < bias.length) {
                bias[id] = Float.NEGATIVE_INFINITY;
            }
        }
        return scope.create(bias);
    }

    /** The canvases being denoised, padded to one length. */
    private static final class Batch {
        final int length;
        final int maskId;
        final long[][] ids; // (B, L)
        final long[][] attention; // (B, L)
        final boolean[][] fixed; // (B, L)
        final int[][][] blocks; // per row: blocks of generated positions
        final SplittableRandom[] rngs;
        final int[] steps;

        Batch(List<CanvasRow> rows, int maskId, int padId) {
            this.maskId = maskId;
            length = rows.stream().mapToInt(CanvasRow::length).max().orElse(0);
            int b = rows.size();
            ids = new long[b][length];
            attention = new long[b][length];
            fixed = new boolean[b][length];
            blocks = new int[b][][];
            rngs = new SplittableRandom[b];
            steps = new int[b];
            for (int r = 0; r < b; r++) {
                CanvasRow row = rows.get(r);
                Arrays.fill(ids[r], padId);
                Arrays.fill(fixed[r], true);
                for (int i = 0; i < row.length(); i++) {
                    ids[r][i] = row.fixed()[i] ? row.ids()[i] : maskId;
                    fixed[r][i] = row.fixed()[i];
                    attention[r][i] = 1;
                }
                rngs[r] = new SplittableRandom(row.seed());
                blocks[r] = new int[0][];
            }
        }

        void splitBlocks(int r, int[] positions, int blockSize) {
            if (blockSize <= 0 || positions.length <= blockSize) {
                blocks[r] = positions.length == 0 ? new int[0][] : new int[][] {positions};
                return;
            }
            int count = (positions.length + blockSize - 1) / blockSize;
            blocks[r] = new int[count][];
            for (int i = 0; i < count; i++) {
                blocks[r][i] = Arrays.copyOfRange(positions, i * blockSize, Math.min(positions.length, (i + 1) * blockSize));
            }
        }

        boolean masked(int r, int position) {
            return !fixed[r][position] && ids[r][position] == maskId;
        }
    }

    /** One block's denoising steps under a strategy. */
    private final class Step {
        private final NDManager scope;
        private final Batch batch;
        private final GenerationConfig config;
        private final NDArray suppress;
        private final FrameListener listener;
        private final BooleanSupplier cancelled;

        Step(NDManager scope, Batch batch, GenerationConfig config, NDArray suppress, FrameListener listener,
                BooleanSupplier cancelled) {
            this.scope = scope;
            this.batch = batch;
            this.config = config;
            this.suppress = suppress;
            this.listener = listener;
            this.cancelled = cancelled;
        }

        void confidence(int[][] active) {
            while (true) {
                int[][] targets = maskedIn(active);
                if (empty(targets)) {
                    return;
                }
                Predictions[] p = predict(targets);
                int[][] commit = new int[targets.length][];
                for (int b = 0; b < targets.length; b++) {
                    int[] chosen = new int[targets[b].length];
                    int n = 0;
                    int best = -1;
                    for (int i = 0; i < targets[b].length; i++) {
                        if (p[b].confidence()[i] >= config.threshold()) {
                            chosen[n++] = i;
                        }
                        if (best < 0 || p[b].confidence()[i] > p[b].confidence()[best]) {
                            best = i;
                        }
                    }
                    if (n == 0 && best >= 0) {
                        chosen[n++] = best;
                    }
                    commit[b] = Arrays.copyOf(chosen, n);
                }
                apply(targets, p, commit);
            }
        }

        void topk(int[][] active, int steps) {
            int[] total = Arrays.stream(maskedIn(active)).mapToInt(t -> t.length).toArray();
            for (int i = 0; i < steps; i++) {
                int[][] targets = maskedIn(active);
                if (empty(targets)) {
                    return;
                }
                Predictions[] p = predict(targets);
                int[][] commit = new int[targets.length][];
                for (int b = 0; b < targets.length; b++) {
                    int k = total[b] / steps + (i < total[b] % steps ? 1 : 0);
                    if (i == steps - 1) {
                        k = targets[b].length; // the last step leaves nothing masked
                    }
                    commit[b] = mostConfident(p[b].confidence(), Math.min(k, targets[b].length));
                }
                apply(targets, p, commit);
            }
        }

        void refine(int[][] active, int steps) {
            for (int s = 0; s < steps; s++) {
                if (empty(active)) {
                    return;
                }
                Predictions[] p = predict(active);
                int[][] all = new int[active.length][];
                for (int b = 0; b < active.length; b++) {
                    all[b] = new int[active[b].length];
                    Arrays.setAll(all[b], i -> i);
                }
                double remask = 1.0 - (s + 1.0) / steps; // shrinks to 0 at the last step
                int[][] remasked = new int[active.length][];
                for (int b = 0; b < active.length; b++) {
                    int count = (int) Math.floor(remask * active[b].length);
                    remasked[b] = pick(batch.rngs[b], active[b], count);
                }
                apply(active, p, all, remasked);
            }
        }

        private Predictions[] predict(int[][] targets) {
            if (cancelled.getAsBoolean()) {
                throw new CancellationException("generation cancelled");
            }
            int total = Arrays.stream(targets).mapToInt(t -> t.length).sum();
            long[] flat = new long[total];
            float[] uniforms = new float[total];
            int n = 0;
            for (int b = 0; b < targets.length; b++) {
                for (int position : targets[b]) {
                    flat[n] = (long) b * batch.length + position;
                    uniforms[n++] = config.greedy() ? 0f : (float) batch.rngs[b].nextDouble();
                }
            }
            Predictions all;
            try (NDManager step = scope.newSubManager()) {
                NDArray logits = denoiser.logits(step, batch.ids, batch.attention, flat); // (M, V)
                all = TokenSampler.choose(logits, uniforms, config, suppress);
            }
            Predictions[] perRow = new Predictions[targets.length];
            n = 0;
            for (int b = 0; b < targets.length; b++) {
                int m = targets[b].length;
                perRow[b] = new Predictions(Arrays.copyOfRange(all.tokens(), n, n + m),
                        Arrays.copyOfRange(all.confidence(), n, n + m));
                n += m;
            }
            return perRow;
        }

        private void apply(int[][] targets, Predictions[] p, int[][] commit) {
            apply(targets, p, commit, new int[targets.length][0]);
        }

        /** Writes the committed predictions, re-masks {@code remask}, and emits one frame per canvas. */
        private void apply(int[][] targets, Predictions[] p, int[][] commit, int[][] remask) {
            for (int b = 0; b < targets.length; b++) {
                if (targets[b].length == 0) {
                    continue;
                }
                long[] row = batch.ids[b];
                List<Integer> changed = new ArrayList<>();
                for (int i : commit[b]) {
                    int position = targets[b][i];
                    if (row[position] != p[b].tokens()[i]) {
                        row[position] = p[b].tokens()[i];
                        changed.add(position);
                    }
                }
                for (int position : remask[b]) {
                    if (row[position] != batch.maskId) {
                        row[position] = batch.maskId;
                        if (!changed.contains(position)) {
                            changed.add(position);
                        }
                    }
                }
                batch.steps[b]++;
                if (listener == FrameListener.NONE) {
                    continue; // nobody reads frames: no copy, no count
                }
                int masked = 0;
                for (int i = 0; i < row.length; i++) {
                    masked += batch.masked(b, i) ? 1 : 0;
                }
                listener.onFrame(new Frame(b, batch.steps[b], row.clone(),
                        changed.stream().mapToInt(Integer::intValue).sorted().toArray(), masked));
            }
        }

        private int[][] maskedIn(int[][] active) {
            int[][] out = new int[active.length][];
            for (int b = 0; b < active.length; b++) {
                final int row = b;
                out[b] = Arrays.stream(active[b]).filter(p -> batch.masked(row, p)).toArray();
            }
            return out;
        }
    }

    /** Indices of the k largest values, largest first; ties go to the earlier index. */
    static int[] mostConfident(float[] confidence, int k) {
        Integer[] order = new Integer[confidence.length];
        Arrays.setAll(order, i -> i);
        Arrays.sort(order, (a, b) -> confidence[a] != confidence[b] ? Float.compare(confidence[b], confidence[a]) : a - b);
        int[] out = new int[k];
        for (int i = 0; i < k; i++) {
            out[i] = order[i];
        }
        return out;
    }

    /** {@code count} distinct elements of {@code from}, uniformly at random. */
    static int[] pick(SplittableRandom rng, int[] from, int count) {
        int[] pool = from.clone();
        for (int i = 0; i < count; i++) {
            int j = i + rng.nextInt(pool.length - i);
            int t = pool[i];
            pool[i] = pool[j];
            pool[j] = t;
        }
        return Arrays.copyOf(pool, count);
    }

    private static boolean empty(int[][] targets) {
        return Arrays.stream(targets).allMatch(t -> t.length == 0);
    }
}

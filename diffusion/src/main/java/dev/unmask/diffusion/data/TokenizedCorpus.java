package dev.unmask.diffusion.data;

import dev.unmask.corpus.CorpusFormat;
import dev.unmask.corpus.CorpusReader;
import dev.unmask.corpus.Document;

import dev.unmask.corpus.CorpusException;

import dev.unmask.diffusion.tokenizer.SpecialTokens;
import dev.unmask.diffusion.tokenizer.TextTokenizer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A corpus tokenized and split into training and held-out rows of {@code seqLen}, in memory.
 * {@link #build} reads every file (in order), tokenizes every document into an {@link Example},
 * splits the documents by {@link DocumentSplit} (before packing, so no text is shared between the
 * splits), then packs or pads each split ({@link SequencePacker}); rows keep corpus order.
 */
public final class TokenizedCorpus {
    private final DataConfig config;
    private final List<Path> files;
    private final List<Sequence> train;
    private final List<Sequence> heldOut;
    private final SplitStats trainStats;
    private final SplitStats heldOutStats;
    private final long[] tokenFrequencies;

    private TokenizedCorpus(DataConfig config, List<Path> files, List<Sequence> train, List<Sequence> heldOut,
            SplitStats trainStats, SplitStats heldOutStats, long[] tokenFrequencies) {
        this.config = config;
        this.files = files;
        this.train = train;
        this.heldOut = heldOut;
        this.trainStats = trainStats;
        this.heldOutStats = heldOutStats;
        this.tokenFrequencies = tokenFrequencies;
    }

    /**
     * Reads, tokenizes, splits and packs {@code files}.
     *
     * @throws CorpusException on bad data (naming file and line), when no file holds a non-blank
     *     document, or when packing leaves the training split without a single block
     * @throws IllegalArgumentException for {@link Packing#PACK} with a prompt/completion file, or a
     *     tokenizer without the start, end (or, to pad, pad) token
     */
    public static TokenizedCorpus build(List<Path> files, CorpusFormat format, TextTokenizer tokenizer,
            DataConfig config) throws IOException {
        if (files == null || files.isEmpty()) {
            throw new IllegalArgumentException("no corpus files given");
        }
        List<CorpusFormat> formats = new ArrayList<>();
        for (Path file : files) {
            CorpusFormat resolved = format.resolve(file);
            if (resolved.hasPrompts() && config.packing() == Packing.PACK) {
                throw new IllegalArgumentException(file + " is a " + resolved.cliName()
                        + " corpus: packing PACK would lose its prompt boundaries; use packing PAD");
            }
            formats.add(resolved);
        }
        ExampleEncoder encoder = new ExampleEncoder(tokenizer);
        List<Example> examples = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) {
            try (CorpusReader reader = CorpusReader.open(files.get(i), formats.get(i))) {
                for (Document d = reader.next(); d != null; d = reader.next()) {
                    examples.add(encoder.encode(d));
                }
            }
        }
        if (examples.isEmpty()) {
            throw CorpusException.empty(files);
        }
        TokenizedCorpus corpus = fromExamples(examples, config, tokenizer.specials(), tokenizer.vocabSize(), files);
        if (corpus.train.isEmpty()) {
            throw CorpusException.ofFiles(files, "the training split of " + CorpusException.names(files)
                    + " has " + corpus.trainStats.tokens() + " tokens, fewer than seqLen = " + config.seqLen()
                    + ", so packing makes no block; lower seqLen, add text or use packing PAD");
        }
        return corpus;
    }

    /**
     * Splits and packs already tokenized examples (in corpus order). {@link Packing#PACK} is
     * refused for examples with a prompt ({@code promptLength > 1}).
     */
    public static TokenizedCorpus fromExamples(List<Example> examples, DataConfig config, SpecialTokens specials,
            int vocabSize) {
        return fromExamples(examples, config, specials, vocabSize, List.of());
    }

    private static TokenizedCorpus fromExamples(List<Example> examples, DataConfig config, SpecialTokens specials,
            int vocabSize, List<Path> files) {
        if (examples.isEmpty()) {
            throw new IllegalArgumentException("no examples");
        }
        if (config.packing() == Packing.PACK) {
            for (Example e : examples) {
                if (e.promptLength() > 1) {
                    throw new IllegalArgumentException(
                            "packing PACK would lose prompt boundaries; use packing PAD for prompted examples");
                }
            }
        } else if (paddingId(specials) < 0) {
            throw new IllegalArgumentException(
                    "packing PAD needs a pad or end-of-text token; the tokenizer has neither (use PACK)");
        }
        DocumentSplit split = DocumentSplit.of(examples.size(), config);
        Part train = part(examples, split.train(), config, specials);
        Part heldOut = part(examples, split.heldOut(), config, specials);
        long[] frequencies = frequencies(train.sequences, vocabSize);
        return new TokenizedCorpus(config, List.copyOf(files), List.copyOf(train.sequences),
                List.copyOf(heldOut.sequences), train.stats, heldOut.stats, frequencies);
    }

    /**
     * The id that fills a padded row: the pad token, else end-of-text (GPT-2's tokenizer has no pad
     * token; {@code transformers} users set {@code pad_token = eos_token} for the same reason). The
     * attention mask, not the id, marks padding, so a filler equal to a real token is never learnt
     * nor attended to.
     */
    static int paddingId(SpecialTokens specials) {
        return specials.padId() >= 0 ? specials.padId() : specials.eosId();
    }

    private record Part(List<Sequence> sequences, SplitStats stats) {}

    private static Part part(List<Example> all, int[] indices, DataConfig config, SpecialTokens specials) {
        int seqLen = config.seqLen();
        List<Example> kept = new ArrayList<>(indices.length);
        long tokens = 0;
        int truncated = 0;
        int dropped = 0;
        for (int i : indices) {
            Example e = all.get(i);
            tokens += e.length();
            if (config.packing() == Packing.PAD) {
                if (!SequencePacker.fitsPadded(e, seqLen)) {
                    dropped++;
                    continue;
                }
                truncated += e.length() > seqLen ? 1 : 0;
            }
            kept.add(e);
        }
        List<Sequence> sequences = config.packing() == Packing.PACK
                ? SequencePacker.pack(kept, seqLen)
                : SequencePacker.pad(kept, seqLen, paddingId(specials));
        long used = 0;
        for (Sequence s : sequences) {
            used += s.tokens();
        }
        return new Part(sequences, new SplitStats(indices.length, tokens, sequences.size(), used, truncated, dropped));
    }

    /** Counts of each id at the positions a model is trained on: non-padding, after the prompt. */
    private static long[] frequencies(List<Sequence> sequences, int vocabSize) {
        long[] counts = new long[Math.max(vocabSize, 0)];
        for (Sequence s : sequences) {
            long[] ids = s.ids();
            long[] mask = s.attentionMask();
            for (int j = s.promptLength(); j < ids.length; j++) {
                if (mask[j] == 0) {
                    continue;
                }
                long id = ids[j];
                if (id < 0 || id >= Integer.MAX_VALUE) {
                    throw new IllegalStateException("token id " + id + " out of range");
                }
                if (id >= counts.length) {
                    counts = Arrays.copyOf(counts, (int) id + 1);
                }
                counts[(int) id]++;
            }
        }
        return counts;
    }

    public DataConfig config() {
        return config;
    }

    /** The corpus files, in reading order (empty for {@link #fromExamples}). */
    public List<Path> files() {
        return files;
    }

    /** The training rows, in corpus order (batches shuffle them). */
    public List<Sequence> train() {
        return train;
    }

    /** The held-out rows, in corpus order; empty when nothing is held out. */
    public List<Sequence> heldOut() {
        return heldOut;
    }

    public SplitStats trainStats() {
        return trainStats;
    }

    public SplitStats heldOutStats() {
        return heldOutStats;
    }

    /** Documents in both splits. */
    public int documents() {
        return trainStats.documents() + heldOutStats.documents();
    }

    /** Tokens of all documents, start and end tokens included. */
    public long tokens() {
        return trainStats.tokens() + heldOutStats.tokens();
    }

    /**
     * How often each id occurs in the training rows at the positions the model learns (attention
     * mask 1, at or after {@code promptLength}; special tokens such as start and end included),
     * indexed by id, over the tokenizer's vocabulary: the counts of a unigram baseline. A copy.
     */
    public long[] tokenFrequencies() {
        return tokenFrequencies.clone();
    }
}

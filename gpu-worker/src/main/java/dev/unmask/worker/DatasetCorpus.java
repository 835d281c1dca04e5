package dev.unmask.worker;

import dev.unmask.corpus.CorpusFormat;
import dev.unmask.diffusion.data.Packing;
import java.io.IOException;
import java.nio.file.Path;

/**
 * How a worker reads an uploaded dataset for training: the corpus format by
 * {@link CorpusFormat#ofDataset} (the mapping the gateway checked the upload with), and packing:
 * documents packed into full blocks, except prompt/completion pairs, which are padded one to a
 * row so no prompt runs into another pair's completion.
 */
public record DatasetCorpus(CorpusFormat format, Packing packing) {

    public static DatasetCorpus of(String datasetFormat, Path file) throws IOException {
        CorpusFormat format = CorpusFormat.ofDataset(datasetFormat, file);
        return new DatasetCorpus(format, format.hasPrompts() ? Packing.PAD : Packing.PACK);
    }
}

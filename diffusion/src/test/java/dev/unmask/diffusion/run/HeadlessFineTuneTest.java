package dev.unmask.diffusion.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.unmask.diffusion.HeadlessFolders;
import dev.unmask.diffusion.checkpoint.HfCheckpointReader;
import dev.unmask.corpus.CorpusFormat;
import dev.unmask.diffusion.data.Packing;
import dev.unmask.diffusion.model.MaskedLanguageModel;
import dev.unmask.diffusion.noise.DiscreteLevels;
import dev.unmask.diffusion.sample.FrameListener;
import dev.unmask.diffusion.sample.GenerationConfig;
import dev.unmask.diffusion.sample.Strategy;
import dev.unmask.diffusion.util.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A sentence-transformers folder fine-tuned as a masked LM: fresh head, named in the log; then it generates. */
class HeadlessFineTuneTest {
    @TempDir Path tmp;

    @Test
    void headlessEncoderTrainsWithAFreshHeadNamedInTheLog() throws Exception {
        Path model = HeadlessFolders.bert(tmp.resolve("st"), HeadlessFolders.Layout.SENTENCE_TRANSFORMERS_SUBFOLDER);
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            lines.add(TrainingRunTest.SENTENCES[i % TrainingRunTest.SENTENCES.length] + " .");
        }
        Path corpus = Files.write(tmp.resolve("c.txt"), lines);
        Path out = tmp.resolve("out");
        TrainSpec spec = new TrainSpec(ModelSource.parse(model.toString()), List.of(corpus), CorpusFormat.AUTO, out,
                null, 300, 32, Packing.PACK, 0.0, TrainingRunTest.config(3, 0, new DiscreteLevels(10)), Device.cpu(), 0);
        List<String> log = new ArrayList<>();
        TrainingRun.run(spec, log::add, p -> {}, () -> false);

        String fresh = log.stream().filter(l -> l.contains("initialised fresh")).findFirst()
                .orElseThrow(() -> new AssertionError("no line names the fresh tensors: " + log));
        for (String name : List.of("cls.predictions.transform.dense.weight", "cls.predictions.transform.dense.bias",
                "cls.predictions.transform.LayerNorm.weight", "cls.predictions.transform.LayerNorm.bias",
                "cls.predictions.bias")) {
            assertTrue(fresh.contains(name), name + " in " + fresh);
        }
        assertEquals("BertForMaskedLM", Json.read(out.resolve("config.json")).get("architectures").get(0).asText());
        try (NDManager manager = NDManager.newBaseManager(Device.cpu());
                MaskedLanguageModel trained = HfCheckpointReader.load(out, manager, Device.cpu(), DataType.FLOAT32)) {
            assertTrue(trained.parameters().containsKey("cls.predictions.transform.dense.weight"));
        }
        try (TextGenerator generator = TextGenerator.load(out, Device.cpu(), DataType.FLOAT32)) {
            GenerationConfig greedy = new GenerationConfig(Strategy.TOPK, 2, 0, 0, 1, 0.9, 0, true);
            GeneratedText text = generator.generate(List.of("the cat"), new long[] {1}, 2, greedy, FrameListener.NONE,
                    () -> false).get(0);
            assertTrue(text.fullText().startsWith("the cat"), text.fullText());
        }
    }
}

package dev.unmask.diffusion.compare;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.unmask.diffusion.eval.EvalReport;
import dev.unmask.diffusion.eval.HeldOutEval;
import dev.unmask.diffusion.eval.PerplexityReport;
import dev.unmask.diffusion.run.GeneratedText;
import dev.unmask.diffusion.util.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A comparison's report folder: {@code report.json} (every number and both loss curves),
 * {@code loss.svg}, {@code samples.txt} (prompts with both continuations) and {@code summary.md};
 * and the one JSON line the command prints (the report without the curves).
 */
public final class ComparisonReport {
    public static final String JSON = "report.json";
    public static final String PLOT = "loss.svg";
    public static final String SAMPLES = "samples.txt";
    public static final String SUMMARY = "summary.md";

    private ComparisonReport() {}

    /** Writes the folder; returns the JSON line to print. */
    public static String write(Comparison.Outcome o, Path dir) throws IOException {
        Files.createDirectories(dir);
        ObjectNode report = json(o, true);
        Json.write(dir.resolve(JSON), report);
        Files.writeString(dir.resolve(PLOT), LossPlot.svg("Training loss, " + o.spec().size() + ", "
                + o.spec().minutes() + " min each", List.of(new LossPlot.Series(label(o.diffusion()),
                        o.diffusion().curve()), new LossPlot.Series(label(o.gpt2()), o.gpt2().curve()))));
        Files.writeString(dir.resolve(SAMPLES), samples(o));
        Files.writeString(dir.resolve(SUMMARY), Summary.markdown(o));
        return Json.compact(json(o, false));
    }

    static String label(ModelResult m) {
        return m.name() + " (" + m.preset() + ")";
    }

    /** Everything measured; with {@code curves}, each step's loss and time too. */
    public static ObjectNode json(Comparison.Outcome o, boolean curves) {
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("size", o.spec().size());
        root.put("minutes", o.spec().minutes());
        root.put("device", o.spec().device().toString());
        root.put("seconds", o.seconds());
        root.put("load_average_before", o.loadBefore());
        root.put("load_average_after", o.loadAfter());
        ArrayNode corpus = root.putArray("corpus");
        o.spec().corpus().forEach(p -> corpus.add(p.toString()));
        ObjectNode data = root.putObject("data");
        var run = o.diffusion().run();
        data.put("tokenizer", "one byte-level BPE (RoBERTa layout), both models");
        data.put("vocab_size", o.spec().vocabSize());
        data.put("seq_len", o.spec().seqLen());
        data.put("batch_size", o.spec().batchSize());
        data.put("documents", run.documents());
        data.put("train_sequences", run.trainSequences());
        data.put("held_out_sequences", run.heldOutSequences());
        data.put("train_digest", run.data().trainDigest());
        data.put("held_out_digest", run.data().heldOutDigest());
        data.put("same_data", o.sameData());
        data.put("common_batches", o.commonBatches());
        ObjectNode gen = root.putObject("generation");
        gen.put("prompt_tokens", o.spec().promptTokens());
        gen.put("prompt_text_tokens", o.spec().promptTokens() - 1);
        gen.put("new_tokens", o.spec().newTokens());
        gen.put("samples", o.prompts().size());
        gen.put("temperature", Comparison.causalConfig().temperature());
        gen.put("top_k", Comparison.causalConfig().topK());
        gen.put("top_p", Comparison.causalConfig().topP());
        gen.put("diffusion_strategy", Comparison.diffusionConfig(1).strategy().name().toLowerCase(java.util.Locale.ROOT));
        gen.put("diffusion_sample_steps", o.spec().diffusionSteps().get(1));
        root.set("diffusion", side(o.diffusion(), curves));
        root.set("gpt2", side(o.gpt2(), curves));
        return root;
    }

    private static ObjectNode side(ModelResult m, boolean curves) {
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("preset", m.preset());
        n.put("model", m.folder().toString());
        n.put("parameters", m.parameters());
        n.put("steps", m.run().training().steps());
        n.put("train_seconds", m.run().training().seconds());
        n.put("tokens_seen", m.run().training().tokens());
        n.put("batches_seen", m.run().data().batchHashes().size());
        n.put("tokens_per_second", m.run().training().tokensPerSecond());
        n.put("final_loss", m.run().training().finalLoss());
        n.putArray("load_average_training").add(m.trainingLoad()[0]).add(m.trainingLoad()[1]);
        HeldOutEval eval = m.run().eval();
        if (eval instanceof EvalReport e) {
            n.put("held_out_perplexity", e.elboPerplexity());
            n.put("perplexity_kind", "elbo_bound");
            n.put("unigram_perplexity", e.unigramPerplexity());
            n.put("held_out_tokens", e.tokens());
        } else if (eval instanceof PerplexityReport p) {
            n.put("held_out_perplexity", p.perplexity());
            n.put("perplexity_kind", "exact");
            n.put("unigram_perplexity", p.unigramPerplexity());
            n.put("held_out_tokens", p.tokens());
        }
        n.set("eval", Json.MAPPER.valueToTree(eval));
        n.set("latency", Json.MAPPER.valueToTree(m.latency()));
        ObjectNode s = n.putObject("samples");
        s.put("count", m.samples().size());
        s.put("generative_perplexity", m.generativePerplexity().perplexity());
        s.put("scored_tokens", m.generativePerplexity().tokens());
        s.put("distinct_2", m.stats().distinct2());
        s.put("repeat_rate", m.stats().repeatRate());
        s.put("mean_tokens", m.stats().tokens() / (double) Math.max(1, m.samples().size()));
        if (curves) {
            ArrayNode curve = n.putArray("loss_curve");
            for (LossPoint p : m.curve()) {
                curve.addArray().add(p.step()).add(p.seconds()).add(p.loss());
            }
        }
        return n;
    }

    static String samples(Comparison.Outcome o) {
        StringBuilder text = new StringBuilder();
        int shown = Math.min(CompareSpec.SHOWN, o.prompts().size());
        for (int i = 0; i < shown; i++) {
            GeneratedText d = o.diffusion().samples().get(i);
            GeneratedText g = o.gpt2().samples().get(i);
            text.append("=== prompt ").append(i + 1).append(" (held-out text)\n").append(d.prompt().strip())
                    .append("\n--- ").append(label(o.diffusion())).append(", ").append(o.spec().diffusionSteps().get(1))
                    .append(" steps\n").append(d.text().strip())
                    .append("\n--- ").append(label(o.gpt2())).append("\n").append(g.text().strip()).append("\n\n");
        }
        return text.toString();
    }
}

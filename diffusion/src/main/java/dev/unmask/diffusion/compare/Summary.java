package dev.unmask.diffusion.compare;

import java.util.List;
import java.util.Locale;

/** The report folder's {@code summary.md}: what ran, one table of the numbers, the plot, where the samples are. */
final class Summary {
    private Summary() {}

    static String markdown(Comparison.Outcome o) {
        ModelResult d = o.diffusion();
        ModelResult g = o.gpt2();
        StringBuilder md = new StringBuilder();
        md.append("# Diffusion against autoregressive: ").append(o.spec().size()).append(", ")
                .append(fmt(o.spec().minutes())).append(" min each\n\n");
        md.append(String.format(Locale.ROOT, "Corpus %s: %,d documents, %,d training and %,d held-out sequences of %d "
                + "tokens, one tokenizer (%d tokens) for both. Both trained on the same batches in the same order "
                + "(same split and batch hashes: %s; %,d batches in common). Load average %.1f before, %.1f after; "
                + "%.0f s in all.%n%n", o.spec().corpus(), d.run().documents(), d.run().trainSequences(),
                d.run().heldOutSequences(), o.spec().seqLen(), o.spec().vocabSize(), o.sameData() ? "yes" : "NO",
                o.commonBatches(), o.loadBefore(), o.loadAfter(), o.seconds()));
        md.append("| | ").append(ComparisonReport.label(d)).append(" | ").append(ComparisonReport.label(g))
                .append(" |\n| --- | ---: | ---: |\n");
        row(md, "parameters", String.format(Locale.ROOT, "%,d", d.parameters()),
                String.format(Locale.ROOT, "%,d", g.parameters()));
        row(md, "steps in the budget", String.format(Locale.ROOT, "%,d", d.run().training().steps()),
                String.format(Locale.ROOT, "%,d", g.run().training().steps()));
        row(md, "tokens seen", String.format(Locale.ROOT, "%,d", d.run().training().tokens()),
                String.format(Locale.ROOT, "%,d", g.run().training().tokens()));
        row(md, "training tokens/s", fmt(d.run().training().tokensPerSecond()), fmt(g.run().training().tokensPerSecond()));
        row(md, "load average, training start / end", String.format(Locale.ROOT, "%.1f / %.1f", d.trainingLoad()[0],
                d.trainingLoad()[1]), String.format(Locale.ROOT, "%.1f / %.1f", g.trainingLoad()[0], g.trainingLoad()[1]));
        row(md, "final training loss", fmt(d.run().training().finalLoss()), fmt(g.run().training().finalLoss()));
        var report = ComparisonReport.json(o, false);
        row(md, "held-out perplexity", fmt(report.path("diffusion").path("held_out_perplexity").asDouble())
                + " (ELBO bound)", fmt(report.path("gpt2").path("held_out_perplexity").asDouble()) + " (exact)");
        row(md, "unigram perplexity, same tokens", fmt(report.path("diffusion").path("unigram_perplexity").asDouble()),
                fmt(report.path("gpt2").path("unigram_perplexity").asDouble()));
        for (int i = 0; i < d.latency().size(); i++) {
            Latency l = d.latency().get(i);
            Latency a = g.latency().stream().filter(x -> x.batch() == l.batch()).findFirst().orElseThrow();
            row(md, String.format(Locale.ROOT, "%d + %d tokens, batch %d: s (tokens/s); diffusion %d steps",
                    o.spec().promptTokens(), l.newTokens(), l.batch(), l.steps()),
                    String.format(Locale.ROOT, "%.3f (%s)", l.seconds(), fmt(l.tokensPerSecond())),
                    String.format(Locale.ROOT, "%.3f (%s)", a.seconds(), fmt(a.tokensPerSecond())));
        }
        row(md, "generative perplexity (by the GPT-2), " + d.samples().size() + " samples",
                fmt(d.generativePerplexity().perplexity()), fmt(g.generativePerplexity().perplexity()));
        row(md, "distinct-2", fmt(d.stats().distinct2()), fmt(g.stats().distinct2()));
        row(md, "repeated-token rate", fmt(d.stats().repeatRate()), fmt(g.stats().repeatRate()));
        row(md, "tokens per sample", fmt(d.stats().tokens() / (double) d.samples().size()),
                fmt(g.stats().tokens() / (double) g.samples().size()));
        md.append("\n![loss against wall-clock seconds](").append(ComparisonReport.PLOT).append(")\n\n");
        md.append("Samples: ").append(ComparisonReport.SAMPLES).append(" (").append(List.of(d, g).size())
                .append(" models, the first ").append(Math.min(CompareSpec.SHOWN, o.prompts().size()))
                .append(" prompts). Every number: ").append(ComparisonReport.JSON).append(".\n");
        return md.toString();
    }

    private static void row(StringBuilder md, String name, String a, String b) {
        md.append("| ").append(name).append(" | ").append(a).append(" | ").append(b).append(" |\n");
    }

    static String fmt(double v) {
        if (!Double.isFinite(v)) {
            return String.valueOf(v);
        }
        double abs = Math.abs(v);
        return abs >= 100 ? String.format(Locale.ROOT, "%,.0f", v)
                : abs >= 1 ? String.format(Locale.ROOT, "%.2f", v) : String.format(Locale.ROOT, "%.3f", v);
    }
}

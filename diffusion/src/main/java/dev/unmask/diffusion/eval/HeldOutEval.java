package dev.unmask.diffusion.eval;

/**
 * A model's quality on held-out text, as its family measures it: a masked LM's ELBO bound and
 * masked accuracy ({@link EvalReport}), GPT-2's exact perplexity ({@link PerplexityReport}). Each
 * is a record that serialises to the JSON a run writes ({@code eval.json}) and a job reports.
 */
public sealed interface HeldOutEval permits EvalReport, PerplexityReport {}

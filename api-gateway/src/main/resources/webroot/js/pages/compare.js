// Compare: a diffusion model and a GPT-2 side by side: both training runs' loss curves, their numbers,
// and one prompt written by both at once (two generate jobs, each streamed live).
import { h, replace, field, options } from '../dom.js';
import { getJson, postJson, usableModels } from '../api.js';
import { followJob } from '../sse.js';
import { CurvesChart } from '../curves-chart.js';
import { generationPane } from '../generation.js';
import { num } from '../format.js';
import { problemBox, pageTitle, jobLink } from '../widgets.js';
import { jobSchemas, numberInput } from '../schema.js';

const SIDES = ['Diffusion', 'GPT-2'];
/** The generate parameters both jobs share (steps: the diffusion model's denoising steps; GPT-2 writes a token per step). */
const FIELDS = ['steps', 'temperature', 'max_tokens', 'seed'];

export function render({ root, query, signal }) {
  const selects = SIDES.map((side, i) => h('select', { name: `model-${i}`, id: `cmp-model-${i}` }));
  const chart = new CurvesChart('Training loss', 'step', SIDES);
  chart.el.id = 'compare-chart';
  const numbers = h('tbody');
  const message = h('div');
  const prompt = h('textarea', { name: 'prompt', id: 'cmp-prompt', rows: 3, value: query.get('prompt') ?? 'The jury said' });
  const inputs = Object.fromEntries(FIELDS.map((name) => [name, h('input', { type: 'number', name, id: `cmp-${name}` })]));
  const labels = Object.fromEntries(FIELDS.map((name) => [name, h('label', { for: `cmp-${name}` }, name)]));
  const submit = h('button', { type: 'submit', id: 'cmp-generate' }, 'Write with both');
  const panes = h('div', { class: 'panes two', id: 'cmp-panes' });
  const form = h('form', { class: 'card', id: 'compare-form' },
    h('div', { class: 'grid' },
      h('div', { class: 'wide' }, field('Prompt', prompt, 'The same prompt, seed and length for both models.')),
      ...FIELDS.map((name) => h('div', { class: 'field' }, labels[name], inputs[name]))),
    h('div', { class: 'actions' }, submit));
  const pick = h('div', { class: 'card grid' },
    ...SIDES.map((side, i) => field(`${side} model`, selects[i], i === 0 ? 'A masked LM (trained or registered).' : 'A GPT-2 (trained on the same data, ideally).')));

  replace(root, pageTitle('Compare'), message, pick,
    h('h2', { text: 'Training' }), chart.el,
    h('div', { class: 'table-wrap' }, h('table', { id: 'cmp-numbers' }, h('thead', {}, h('tr', {},
      ['', ...SIDES].map((t) => h('th', { scope: 'col', text: t })))), numbers)),
    h('h2', { text: 'One prompt, both models' }), form, panes);

  // each side's training run: its numbers and its loss curve, replayed from its train job's events
  const runs = SIDES.map(() => null);
  let follow = null;
  const showRuns = async (models) => {
    follow?.abort();
    follow = new AbortController();
    signal.addEventListener('abort', () => follow.abort(), { once: true });
    const jobs = await Promise.all(selects.map((s) => {
      const m = models.find((x) => x.id === s.value);
      return m?.source_job ? getJson(`/v1/jobs/${m.source_job}`, { signal: follow.signal }) : null;
    }));
    jobs.forEach((job, i) => {
      runs[i] = job;
      chart.clear(i);
      if (!job) return;
      followJob(job.id, (event) => {
        if (event.kind !== 'progress') return;
        const d = event.data;
        if (d.elapsed_seconds !== undefined && chart.xLabel !== 'seconds') chart.setXLabel('seconds');
        chart.add(i, d.elapsed_seconds ?? d.step, d.loss);
      }, follow.signal).catch((error) => { if (!signal.aborted) replace(message, problemBox(error, 'Lost a training stream:')); });
    });
    replace(numbers, numberRows(jobs));
  };

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    replace(message);
    replace(panes);
    if (!inputs.seed.value) inputs.seed.value = String(Math.floor(Math.random() * 2 ** 31));
    const base = { type: 'generate', prompt: prompt.value };
    for (const name of FIELDS) if (inputs[name].value !== '') base[name] = Number(inputs[name].value);
    submit.disabled = true;
    try {
      const jobs = await Promise.all(selects.map((s) => postJson('/v1/jobs', { ...base, model: s.value }, { signal })));
      jobs.forEach((job, i) => panes.append(generationPane(job, signal,
        `${SIDES[i]}: ${selects[i].selectedOptions[0]?.textContent ?? ''}`, { causal: i === 1 })));
    } catch (error) {
      if (!signal.aborted) replace(message, problemBox(error, 'Could not start:'));
    } finally {
      submit.disabled = false;
    }
  });

  jobSchemas({ signal }).then((schemas) => {
    const props = schemas.GenerateJobRequest.properties;
    for (const name of FIELDS) {
      const described = numberInput(`cmp-${name}`, name, props[name]);
      for (const attr of ['min', 'max', 'step', 'placeholder', 'title']) {
        if (described.hasAttribute(attr)) inputs[name].setAttribute(attr, described.getAttribute(attr));
      }
      if (name !== 'seed' && inputs[name].value === '') inputs[name].value = props[name].default;
      labels[name].textContent = props[name].title ?? name;
    }
  }).catch((error) => { if (!signal.aborted) replace(message, problemBox(error)); });

  usableModels(signal).then((models) => {
    if (models.length < 2) {
      submit.disabled = true;
      replace(message, h('p', { class: 'notice' }, 'Comparing needs two models, a diffusion model and a GPT-2: ',
        h('a', { href: '#/models', text: 'train them on the Models page' }), ' (preset:tiny and preset:gpt2-tiny on the same dataset).'));
    }
    const choices = models.map((m) => [m.id, `${m.name} (${m.kind})`]);
    selects.forEach((s, i) => {
      options(s, choices, query.get(i === 0 ? 'a' : 'b') ?? models[Math.min(i, models.length - 1)]?.id);
      s.addEventListener('change', () => showRuns(models).catch((error) => { if (!signal.aborted) replace(message, problemBox(error)); }));
    });
    if (models.length) return showRuns(models);
    return undefined;
  }).catch((error) => { if (!signal.aborted) replace(message, problemBox(error)); });
}

/** The numbers of both runs, one row per quantity; a side without a train job shows dashes. */
function numberRows(jobs) {
  const cell = (job, f) => h('td', { text: job ? f(job) ?? '–' : '–' });
  const held = (job) => {
    const e = job.result?.eval;
    if (!e) return undefined;
    return e.elbo_perplexity !== undefined ? `${num(e.elbo_perplexity)} (ELBO bound)` : `${num(e.perplexity)} (exact)`;
  };
  const rows = [
    ['Training job', (j) => null, (j) => jobLink(j.id)],
    ['Base model', (j) => j.spec.model],
    ['Status', (j) => j.status],
    ['Steps', (j) => j.result?.steps ?? j.progress?.step],
    ['Training seconds', (j) => (j.result?.seconds !== undefined ? num(j.result.seconds, 3) : undefined)],
    ['Tokens/s', (j) => (j.result?.tokens_per_second !== undefined ? String(Math.round(j.result.tokens_per_second)) : undefined)],
    ['Final loss', (j) => (j.result?.final_loss !== undefined ? num(j.result.final_loss) : undefined)],
    ['Held-out perplexity', held],
    ['Unigram perplexity, same tokens', (j) => (j.result?.eval ? num(j.result.eval.unigram_perplexity) : undefined)],
  ];
  return rows.map(([name, text, node]) => h('tr', { 'data-row': name },
    h('th', { scope: 'row', text: name }),
    jobs.map((job) => (node && job ? h('td', {}, node(job)) : cell(job, text)))));
}
